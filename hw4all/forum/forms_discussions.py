"""Forms of discussions: a new thread, a comment or reply, an edit. The length limits are the
services' (a too long text comes back with a message and everything typed), so the fields do not
set maxlength: a browser would cut a pasted text silently."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MARKDOWN_HELP = _(
    "Markdown: **bold**, *italic*, [a link](https://example.org), lists with - or 1. "
    "Mention a member with @handle."
)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 5}),
        strip=False,
        error_messages={"required": _("Write your comment first.")},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, prefix_id: str = "comment", reply: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Several forms share a page: each field gets an id of its own.
        self.auto_id = f"{prefix_id}-%s"
        if reply:
            self.fields["body"].label = _("Your reply")


class ThreadForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        help_text=_("What the discussion is about, in a few words."),
        error_messages={"required": _("Give the discussion a title.")},
    )
    body = forms.CharField(
        label=_("First comment"),
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 10}),
        strip=False,
        error_messages={"required": _("Write your comment first.")},
    )


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
        strip=False,
        error_messages={"required": _("Write your comment first.")},
    )
