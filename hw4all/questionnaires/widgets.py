"""The HTML of one question of the form, built in Python: a form has hundreds of questions, and a
template include per question cost most of the page's time (bench/questionnaire_fill.py). Every
text goes through format_html, so labels, hints and answers are escaped exactly as a template
would escape them."""

from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

ACCEPTED_FILES = ".pdf,.png,.jpg,.jpeg,.gif,.webp,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.txt,.csv"
EMPTY = mark_safe("")  # noqa: S308 - a constant


def _join(parts) -> SafeString:
    return mark_safe("".join(parts))  # noqa: S308 - every part is a SafeString from format_html


def _aria(field) -> SafeString:
    described = format_html(' aria-describedby="{}"', field.describedby) if field.describedby else EMPTY
    invalid = mark_safe(' aria-invalid="true"') if field.errors else EMPTY  # noqa: S308 - a constant
    return _join([described, invalid])


def _required() -> SafeString:
    return format_html(' <span class="question__required">({})</span>', _("required"))


def field_html(field) -> SafeString:
    """One question (a rendering.Field) as the form shows it."""
    parts: list[SafeString] = []
    required = _required() if field.required else EMPTY
    attributes = _join(
        [
            format_html(' data-relevant="{}"', field.relevant) if field.relevant else EMPTY,
            format_html(' data-choice-filter="{}"', field.choice_filter) if field.choice_filter else EMPTY,
        ]
    )
    parts.append(
        format_html(
            '<div class="question question--{}{}" data-question="{}" data-path="{}"{}>',
            field.type,
            " field--error" if field.errors else "",
            field.name,
            field.path,
            attributes,
        )
    )
    if field.is_group:
        described = format_html(' aria-describedby="{}"', field.describedby) if field.describedby else EMPTY
        parts.append(
            format_html(
                '<fieldset id="{}" tabindex="-1"{}><legend class="question__label">{}{}</legend>',
                field.id,
                described,
                field.label,
                required,
            )
        )
    elif field.type == "note":
        parts.append(
            format_html('<p class="question__note" id="{}"><strong>{}</strong></p>', field.id, field.label)
        )
    else:
        parts.append(
            format_html(
                '<label class="question__label" for="{}">{}{}</label>', field.id, field.label, required
            )
        )
    if field.hint or field.unit:
        unit = _("Unit: %(unit)s") % {"unit": field.unit} if field.unit else ""
        separator = " · " if field.hint and unit else ""
        parts.append(
            format_html('<p class="helptext" id="{}-hint">{}{}{}</p>', field.id, field.hint, separator, unit)
        )
    if field.relevant_words:
        parts.append(format_html('<p class="qcondition">{}</p>', field.relevant_words))
    if field.errors:
        parts.append(
            format_html(
                '<ul class="errorlist" id="{}-error">{}</ul>',
                field.id,
                format_html_join(
                    "",
                    '<li><span class="visually-hidden">{}</span> {}</li>',
                    ((_("Error:"), error) for error in field.errors),
                ),
            )
        )
    if field.conflict:
        parts.append(
            format_html(
                '<p class="qconflict" id="{}-conflict">{}</p>',
                field.id,
                _("Someone else saved “%(theirs)s”, which was kept. Your answer was “%(yours)s”.")
                % {"theirs": field.conflict.theirs or "—", "yours": field.conflict.yours or "—"},
            )
        )
    parts.append(_input_html(field))
    if field.other:
        parts.append(
            format_html(
                '<div class="qother" data-other-for="{}"><label for="{}_other">{}</label>'
                '<input type="text" id="{}_other" name="{}" value="{}" maxlength="500"></div>',
                field.path,
                field.id,
                _("If other, please specify"),
                field.id,
                field.other_path,
                field.other_value,
            )
        )
    if field.is_group:
        parts.append(mark_safe("</fieldset>"))  # noqa: S308 - a constant
    parts.append(mark_safe("</div>"))  # noqa: S308 - a constant
    return _join(parts)


def _input_html(field) -> SafeString:
    kind = field.type
    if kind == "text":
        return format_html(
            '<input type="text" id="{}" name="{}" value="{}" maxlength="{}"{}>',
            field.id,
            field.path,
            field.value,
            field.maxlength,
            _aria(field),
        )
    if kind == "long_text":
        return format_html(
            '<textarea id="{}" name="{}" rows="5" maxlength="{}"{}>{}</textarea>',
            field.id,
            field.path,
            field.maxlength,
            _aria(field),
            field.value,
        )
    if kind in ("integer", "decimal"):
        bounds = _join(
            [
                format_html(' min="{}"', field.minimum) if field.minimum else EMPTY,
                format_html(' max="{}"', field.maximum) if field.maximum else EMPTY,
            ]
        )
        return format_html(
            '<input type="number" id="{}" name="{}" value="{}" step="{}"{}{}>',
            field.id,
            field.path,
            field.value,
            field.step,
            bounds,
            _aria(field),
        )
    if kind == "date":
        return format_html(
            '<input type="date" id="{}" name="{}" value="{}" min="{}" max="{}"{}>',
            field.id,
            field.path,
            field.value,
            field.minimum,
            field.maximum,
            _aria(field),
        )
    if kind in ("yes_no", "select_one", "select_multiple"):
        return format_html('<div class="choices">{}</div>', field.options_html)
    if kind == "country":
        return format_html(
            '<select id="{}" name="{}"{}><option value="">{}</option>{}</select>',
            field.id,
            field.path,
            _aria(field),
            _("Choose a country"),
            field.options_html,
        )
    if kind == "countries":
        described = format_html(' aria-describedby="{}"', field.describedby) if field.describedby else EMPTY
        return format_html(
            '<label class="visually-hidden" for="{}-select">{}</label>'
            '<select id="{}-select" name="{}" multiple size="8"{}>{}</select><p class="helptext">{}</p>',
            field.id,
            field.label,
            field.id,
            field.path,
            described,
            field.options_html,
            _("Hold Ctrl (or Cmd) to choose several countries."),
        )
    if kind == "matrix":
        return format_html(
            '<div class="table-scroll"><table class="qmatrix"><thead><tr><td></td>{}</tr></thead>'
            "<tbody>{}</tbody></table></div>",
            format_html_join("", '<th scope="col">{}</th>', ((column,) for column in field.columns)),
            field.options_html,
        )
    if kind == "file":
        return _file_html(field)
    if kind == "repeat":
        return format_html(
            '<div class="qblocks" data-blocks="{}" data-max-blocks="{}">{}</div>'
            '<template data-block-template="{}">{}</template>'
            '<button type="submit" name="add_block" value="{}" class="button button--secondary" '
            'data-add-block="{}">{}</button>',
            field.path,
            field.max_blocks,
            _join(block_html(block) for block in field.blocks),
            field.path,
            block_html(field.template) if field.template else EMPTY,
            field.path,
            field.path,
            _("Add another: %(label)s") % {"label": field.label},
        )
    return EMPTY


def _file_html(field) -> SafeString:
    current = EMPTY
    if field.file:
        current = format_html(
            '<p class="qfile">{} <a href="{}">{}</a> ({})'
            '<input type="hidden" name="{}__file" value="{}">'
            '<label class="qfile__remove"><input type="checkbox" name="{}__remove" value="1"> {}</label></p>',
            _("Current file:"),
            field.file["url"],
            field.file["name"],
            filesizeformat(field.file["size"]),
            field.path,
            field.file["id"],
            field.path,
            _("Remove this file"),
        )
    help_text = _("PDF, picture, office document or plain text; up to 20 MB.")
    if field.file:
        help_text = f"{_('Choose another file to replace it.')} {help_text}"
    return format_html(
        '{}<input type="file" id="{}" name="{}" accept="{}"{}><p class="helptext">{}</p>',
        current,
        field.id,
        field.path,
        ACCEPTED_FILES,
        format_html(' aria-describedby="{}"', field.describedby) if field.describedby else EMPTY,
        help_text,
    )


def block_html(block) -> SafeString:
    """One block of a repeated group (a rendering.Block)."""
    return format_html(
        '<fieldset class="qblock" data-block="{}"><legend>{} <span data-block-number>{}</span></legend>'
        '<input type="hidden" name="{}" value="1">{}'
        '<button type="submit" name="remove_block" value="{}" class="button button--secondary qblock__remove" '
        "data-remove-block>{}</button></fieldset>",
        block.remove_value,
        pgettext("repeated block", "Number"),
        block.number,
        block.marker,
        _join(field_html(field) for field in block.fields),
        block.remove_value,
        _("Remove"),
    )
