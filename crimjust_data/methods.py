"""The methods page: each definition, its denominator, what is censored or left out, the tests
and their error rates, with references. docs/METHODS.md says the same at more length.

Declared once as data (heading, paragraphs), translated where shown, so the page and any export
read the same text. The metrics' short definitions are in metric_registry; each metric names the
section here that explains it (Metric.method).
"""

from __future__ import annotations

from dataclasses import dataclass

from crimjust_data.i18n import N_, _
from crimjust_data.metric_registry import METRICS
from crimjust_data.metrics import LOW_CONFIDENCE_N, PROSECUTION_WINDOW_MONTHS, RANKED_MIN_N


@dataclass(frozen=True)
class MethodSection:
    key: str  # metric_registry.Metric.method names it
    heading: str  # msgid
    paragraphs: tuple[str, ...]  # msgids, with {months}, {low_n}, {ranked_n} filled at use


SECTIONS: tuple[MethodSection, ...] = (
    MethodSection(
        "data_end",
        N_("The data's end"),
        (
            N_(
                "Case data is right-censored: a case opened last month has not had time to be "
                "charged or judged. Every case metric is therefore measured against the data's "
                "end, the latest opening, charge or verdict date in the case table (whatever "
                "the filters), shown on the Home and Justice pages."
            ),
        ),
    ),
    MethodSection(
        "prosecution",
        METRICS["prosecution"].label,
        (
            N_(
                "Cases charged within {months} months of opening, divided by the cases opened "
                "at least {months} months before the data's end (the cohort). Every case of "
                "the cohort has been followed for the whole window, so old and recent periods "
                "are compared on equal terms."
            ),
            N_(
                "Cases opened less than {months} months before the data's end are too recent "
                "to judge: they are counted and shown apart, never as a low rate. A period "
                "made only of such cases shows 'too recent to judge'."
            ),
        ),
    ),
    MethodSection(
        "conviction",
        N_("Conviction rate and the funnel"),
        (
            N_(
                "Cases convicted, divided by the charged cases with a court outcome "
                "(convicted, acquitted, or dismissed after a charge). Pending cases are not in "
                "the denominator."
            ),
            N_(
                "The funnel's stages are: opened; closed before any charge (its own stage, "
                "never a court outcome); charged; court outcome (of the charged cases); "
                "convicted. The court-outcome stage is the conviction rate's n, so the funnel "
                "and the rates agree."
            ),
        ),
    ),
    MethodSection(
        "time_to_verdict",
        N_("Time to verdict"),
        (
            N_(
                "Days from opening to the court outcome, over charged cases, estimated with "
                "the Kaplan-Meier method: a case still pending counts as waiting until the "
                "data's end and is then censored, so slow cases that have not finished pull "
                "the estimate up instead of being left out. A median over finished cases "
                "alone is biased short."
            ),
            N_(
                "The median is the first day on which the estimated share still waiting is at "
                "or below one half; its 95% interval is Brookmeyer and Crowley's, with the "
                "complementary log-log transform. When fewer than half of the cases have an "
                "outcome, the median is only known to be over the longest time followed. The "
                "Justice page draws the curves by region."
            ),
        ),
    ),
    MethodSection(
        "uncertainty",
        N_("Uncertainty and small numbers"),
        (
            N_(
                "Every rate carries its n and a Wilson 95% interval. Below n = {low_n} a rate "
                "is drawn hollow and labelled 'low n'. No summary sentence names a place with "
                "fewer than {ranked_n} cases as highest or lowest: such places are left out of "
                "the ranking, and the sentence says how many. Donor snapshots show counts "
                "from 1 to 4 as '<5'."
            ),
            N_(
                "A snapshot's tables add up: years to a country's cases opened, outcomes to the "
                "cases opened, countries to their region, a rate times its n to its numerator. "
                "So further counts are withheld until no count shown as '<5', and no small "
                "difference, can be worked out by subtraction: complementary suppression "
                "(Hundepool et al. 2012, chapter 4), checked by solving the published sums as "
                "the tau-ARGUS software audits a table. Each export says how many counts were "
                "withheld this way."
            ),
        ),
    ),
    MethodSection(
        "before_after",
        N_("Before and after a program activity"),
        (
            N_(
                "The change in the activity's countries is compared with the change in "
                "comparison countries of the same regions that had no activity in either "
                "window (a difference in differences): a ratio of ratios for amounts per "
                "month, a difference in percentage points for rates. Without a comparison "
                "country the difference is not computed."
            ),
            N_(
                "Its p-value comes from placebo activities at other start dates in the same "
                "countries' history, which keep the series' autocorrelation and trend, and is "
                "corrected across the indicators of one activity with Holm's method. Case "
                "outcomes are measured at the same follow-up lag on both sides. Simulations in "
                "the test suite keep the share of no-effect activities flagged at the 5% level "
                "at or under 7%. The result shows association, not effect."
            ),
        ),
    ),
    MethodSection(
        "spikes",
        N_("Unusual spikes"),
        (
            N_(
                "A month is a spike when its total is far above the same month of the previous "
                "five years, on a log scale: a robust z-score (median and median absolute "
                "deviation) above a threshold, with a minimum number of seizures and at least "
                "twice the usual level. On stable simulated series at most 2% of periods are "
                "flagged."
            ),
        ),
    ),
    MethodSection(
        "flows",
        N_("Flows along routes"),
        (
            N_(
                "Route legs are credited only up to the country where the cocaine was seized: "
                "a seizure in a transit country adds its kilograms to the legs before it, "
                "never to the legs it did not travel. Seizures made off their declared route "
                "are counted apart."
            ),
        ),
    ),
)

# Cited by name: the same in every language.
REFERENCES: tuple[str, ...] = (
    "UNODC (2010). Manual for the Development of a System of Criminal Justice Statistics. "
    "United Nations, Studies in Methods, Series F No. 89.",
    "UNODC (2015). International Classification of Crime for Statistical Purposes (ICCS).",
    "Kaplan, E. L. and Meier, P. (1958). Nonparametric estimation from incomplete "
    "observations. JASA 53(282), 457-481.",
    "Collett, D. (2015). Modelling Survival Data in Medical Research, 3rd ed. CRC Press.",
    "Brookmeyer, R. and Crowley, J. (1982). A confidence interval for the median survival "
    "time. Biometrics 38(1), 29-41.",
    "Wilson, E. B. (1927). Probable inference, the law of succession, and statistical "
    "inference. JASA 22(158), 209-212.",
    "Bertrand, M., Duflo, E. and Mullainathan, S. (2004). How much should we trust "
    "differences-in-differences estimates? QJE 119(1), 249-275.",
    "Abadie, A., Diamond, A. and Hainmueller, J. (2010). Synthetic control methods for "
    "comparative case studies. JASA 105(490), 493-505.",
    "Wagner, A. K. et al. (2002). Segmented regression analysis of interrupted time series "
    "studies in medication use research. J Clin Pharm Ther 27(4), 299-309.",
    "Holm, S. (1979). A simple sequentially rejective multiple test procedure. Scand J Stat "
    "6(2), 65-70.",
    "Farrington, C. P. et al. (1996). A statistical algorithm for the early detection of "
    "outbreaks of infectious disease. JRSS A 159(3), 547-563.",
    "Iglewicz, B. and Hoaglin, D. C. (1993). How to Detect and Handle Outliers. ASQC.",
    "Hundepool, A., Domingo-Ferrer, J., Franconi, L., Giessing, S., Schulte Nordholt, E., "
    "Spicer, K. and de Wolf, P.-P. (2012). Statistical Disclosure Control. Wiley, chapter 4: "
    "secondary cell suppression and the audit of a suppressed table.",
    "Statistics Netherlands. tau-ARGUS user's manual: software for the protection of "
    "tabular data (tau-ARGUS).",
)


def paragraphs(section: MethodSection) -> list[str]:
    """The section's paragraphs in the current language, its numbers filled in."""
    return [
        _(text).format(
            months=PROSECUTION_WINDOW_MONTHS, low_n=LOW_CONFIDENCE_N, ranked_n=RANKED_MIN_N
        )
        for text in section.paragraphs
    ]
