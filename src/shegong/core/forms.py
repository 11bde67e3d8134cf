"""Form helpers shared by the apps' web views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def apply_service(form: forms.Form, call: Callable[[], Any]) -> Any | None:
    """Run a service call for a valid form; put its ValidationError on the form
    (field errors on their fields, the rest on top) and return None instead."""
    try:
        return call()
    except ValidationError as error:
        add_errors(form, error)
        return None


def add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def with_choices(field: forms.ModelChoiceField, pairs: list[tuple[int, str]]) -> None:
    """Show `pairs` (pk, label) as a model choice field's options instead of
    reading its queryset while rendering; validation still reads the queryset."""
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.choices = [*empty, *pairs]


def bootstrap(form: forms.Form) -> forms.Form:
    """Give every widget Bootstrap's classes, so templates can render fields plainly."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    return form
