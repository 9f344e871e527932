"""The questionnaire workbook's own words and sheet names in the supplier's language (the
questions and drop-down labels come with the translated definition). A workbook names its
language on its hidden identification sheet, so it is read back with the same sheet
names; its answers read in any language."""

from __future__ import annotations

from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext as _

from chainproof.fileformats.questionnaire_workbook_build import WorkbookWords
from chainproof.questionnaires import languages

# Excel refuses these in a sheet name, and a name longer than 31 characters.
_NOT_IN_SHEET_NAMES = str.maketrans(dict.fromkeys("[]:*?/\\'", " "))


def _sheet_name(text: str) -> str:
    return text.translate(_NOT_IN_SHEET_NAMES).strip()[:31] or "Sheet"


@lru_cache(maxsize=16)
def workbook_words(language: str) -> WorkbookWords:
    """The workbook's words in `language` (English for a language chainproof lacks)."""
    language = languages.supported(language) or languages.ENGLISH
    with translation.override(language):
        sheets = {
            "Instructions": _sheet_name(_("Instructions")),
            "Declaration": _sheet_name(_("Declaration")),
            "Questions": _sheet_name(_("Questions")),
            "Worksites": _sheet_name(_("Worksites")),
            "Countries": _sheet_name(_("Countries")),
            "Checker": _sheet_name(_("Checker")),
        }
        if len(set(sheets.values())) != len(sheets):
            sheets = {}  # a translation naming two sheets alike: keep the English names
        return WorkbookWords(
            sheets={k: v for k, v in sheets.items() if k != v},
            how_to=(
                _("How to fill this workbook:"),
                _(
                    "1. Complete the %(declaration)s sheet; it is pre-filled with what your "
                    "customer already knows."
                )
                % {"declaration": sheets.get("Declaration", "Declaration")},
                _(
                    "2. Answer every question on the %(questions)s sheet in the yellow cells of "
                    "column C. Choose from the drop-down lists where there is one; for several "
                    "answers separate them with |."
                )
                % {"questions": sheets.get("Questions", "Questions")},
                _(
                    "3. List every worksite that makes the covered goods on the %(worksites)s "
                    "sheet, one per row."
                )
                % {"worksites": sheets.get("Worksites", "Worksites")},
                _(
                    "4. List countries on the %(countries)s sheet, one per row (choose from the "
                    "drop-down list)."
                )
                % {"countries": sheets.get("Countries", "Countries")},
                _(
                    "5. The %(checker)s sheet counts the required answers still missing. Send "
                    "the workbook back when it shows 0."
                )
                % {"checker": sheets.get("Checker", "Checker")},
                _(
                    "Questions marked 'Only if' apply only for the answer named. Dates: "
                    "YYYY-MM-DD. Type values, not formulas. Send supporting documents through "
                    "the supplier portal, named as in the question."
                ),
                _("Do not rename sheets or move cells: the workbook is read cell by cell."),
            ),
            declaration_title=_("{title} - Declaration"),
            answer_here=_("Answer in the yellow cells of column C."),
            headers=(_("No."), _("Question"), _("Answer"), _("Notes")),
            not_on_list_title=_("Not on the list"),
            not_on_list=_("Choose one of the answers in the drop-down list."),
            choose_country=_("Choose a country from the list."),
            type_number=_("Type a number"),
            type_number_range=_("Type a number from {low} to {high}"),
            type_date=_("Type a date as YYYY-MM-DD."),
            fill_table=_("Fill in the {sheet} sheet."),
            list_in=_("List them in column {column} of the {sheet} sheet."),
            several=_("Several answers allowed, separated by |: "),
            table_intro=_(
                "One row per worksite (up to {max_rows}). Columns marked * are required."
            ),
            countries_title=_("Countries"),
            countries_intro=_("One country per row; choose from the drop-down list."),
            required=_("Required"),
            only_if=_("Only if {number} is {answers}"),
            or_word=_(" or "),
            date_note=_("A date, YYYY-MM-DD"),
            percentage_note=_("A percentage, 0-100"),
            document_note=_(
                "Type the file name of the document you send through the supplier portal"
            ),
            proof=_("Proof expected: {text}"),
            still_missing=_("Required answers still missing:"),
            checker_headers=(_("No."), _("Question"), _("Status")),
            rows_without=_("{sheet} sheet: rows without {column} (required)"),
            status_missing=_("Missing"),
            status_ok=_("OK"),
            status_not_needed=_("Not needed"),
        )


def checker_sheets() -> frozenset[str]:
    """The checker sheet's name in every language (its formulas are chainproof's own)."""
    return frozenset(workbook_words(code).sheet("Checker") for code in languages.codes())
