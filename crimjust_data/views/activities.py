"""Activities and results: one program activity's indicators before and after it, beside the
same indicators in the other countries of its region (a difference-in-differences view)."""

from __future__ import annotations

from dataclasses import replace

from crimjust_data import metrics
from crimjust_data.activities import FOLLOW_UP_MONTHS, MIN_CASES
from crimjust_data.figures import activities as charts
from crimjust_data.i18n import N_, _, ngettext
from crimjust_data.queries import activities
from crimjust_data.schemas import ACTIVITY_TYPES, PARTNERS
from crimjust_data.views.parts import Choice, Context, Notice, Section, View
from crimjust_data.views.sources import data_sources
from crimjust_data.vocabulary import partner_label, type_label


def activity_choice(key: str, labels: dict[str, str], default: str | None = None) -> Choice:
    """Which activity (`default`, else the latest), kept in the link as ?activity=."""
    return Choice(
        key,
        _("Activity"),
        tuple(labels),
        param="activity",
        format=labels.__getitem__,
        default=default if default in labels else list(labels)[-1],
    )


def opening_note(labels: dict[str, str], opened: str | None, months: int) -> Notice:
    """Why the page opened on this activity (the one queries.activities.latest_complete found,
    `opened`; the latest when None)."""
    if opened is None:
        text = _(
            "No activity has {months} whole months of data before and after it with at least "
            "{cases} cases in each: showing the most recent one."
        ).format(months=months, cases=MIN_CASES)
    else:
        later = len(labels) - 1 - list(labels).index(opened)
        text = _(
            "Showing the most recent activity with {months} whole months of data before and "
            "after it, case outcomes followed up for {follow} months and at least {cases} cases "
            "in each window."
        ).format(months=months, follow=FOLLOW_UP_MONTHS, cases=MIN_CASES)
        if later:
            text += " " + ngettext(
                "The one later activity has less data: choose it in the list to see it anyway.",
                "The {n} later activities have less data: choose one in the list to see it anyway.",
                later,
            ).format(n=later)
    return Notice(text, kind="caption")


def window_choice(key: str) -> Choice:
    """How many months before and after, kept in the link as ?window=."""
    return Choice(
        key,
        _("Months before and after"),
        tuple(str(m) for m in activities.WINDOW_CHOICES),
        param="window",
        widget="segmented",
        default=str(activities.DEFAULT_WINDOW_MONTHS),
    )


def view(ctx: Context) -> View:
    source = data_sources(ctx.read(metrics.data_freshness), ("seizures", "cases")).label
    page = View(
        "activities",
        _("Activities and results"),
        _(
            "Pick a program activity to see the indicators of its countries in the months "
            "before and after it, beside the same indicators in the other countries of their "
            "regions. The sidebar's filters do not apply here: every cocaine seizure and case "
            "counts."
        ),
        notices=(Notice(_(charts.ASSOCIATION), kind="warning"),),
    )
    listed = ctx.read(activities.activity_list)
    if listed.empty:
        return replace(page, stop=N_("program activities"))
    types, partners = (
        ctx.choose(
            Choice(
                key,
                label,
                tuple(code for code in codes if code in set(listed[column])),
                format=words,
                widget="multiselect",
                width=1,
            )
        )
        for key, label, codes, column, words in (
            ("activity_types", _("Activity type"), ACTIVITY_TYPES, "type", type_label),
            ("activity_partners", _("Partner"), PARTNERS, "partner", partner_label),
        )
    )
    labels = ctx.read(activities.activity_labels, tuple(types), tuple(partners))
    if not labels:
        return replace(page, stop=N_("program activities of these types and partners"))
    # the window first: the activity the page opens on is one whose windows are whole
    months = int(ctx.choose(window_choice("activity_window")))
    opened = ctx.read(activities.latest_complete, months, tuple(types), tuple(partners))
    activity_id = ctx.choose(activity_choice("activity_choice", labels, opened))
    result = ctx.read(activities.before_after, activity_id, months)
    if result is None:  # rolled back between the list and the view
        return replace(page, stop=N_("program activities"))
    # uploaded text: shown as text, in a table
    details = Section(
        "activity_details",
        numbers=result,
        build=charts.details_table,
        # said of the opening choice (a link's own choice of it is the same activity)
        notices=(opening_note(labels, opened, months),)
        if activity_id == (opened or list(labels)[-1])
        else (),
    )
    if result.no_data:
        return replace(
            page,
            sections=(details,),
            stop=N_("seizures or cases in the months around this activity"),
        )
    notices = [Notice(note, icon=":material/date_range:") for note in charts.window_notes(result)]
    note = charts.comparison_note(result)  # why there is no comparison, or who is left out
    if note:
        notices.append(Notice(note, icon=":material/group_off:"))
    if not result.overlapping.empty:
        notices.append(Notice(charts.overlap_note(result), "warning", ":material/layers:"))
    return replace(
        page,
        sections=(
            details,
            Section(
                "activity_overlapping",
                numbers=result,
                build=lambda r: None if r.overlapping.empty else charts.overlapping_table(r),
                notices=tuple(notices),
            ),
            Section(
                "activity_chart",
                numbers=result,
                build=lambda r: charts.before_after_chart(r, source),
                file_name=f"before_after_{activity_id}",
            ),
            Section(
                "activity_changes",
                _("Change in each indicator"),
                numbers=result,
                build=charts.change_table,
                caption=charts.method_note(result),
            ),
            Section(
                "activity_pretrends",
                _("Trends before the activity"),
                numbers=result,
                build=charts.pretrend_table,
                caption=_(
                    "The difference in differences assumes that both groups would have moved "
                    "alike without the activity: trends that already part in the before window "
                    "weaken it."
                ),
            ),
        ),
    )
