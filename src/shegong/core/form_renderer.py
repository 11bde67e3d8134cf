"""The forms' renderer: Jinja2 for the form layout and the widgets.

Every page with a form spent about a third of its time in Django's template engine
rendering the widgets and the fields' Bootstrap layout (templates/_form.html), one
small template per widget. Jinja2 compiles templates to Python functions and renders
the same markup (Django ships Jinja2 copies of its widget templates) in a fraction of
the time: the registration form 7.9 → 5.3 ms in-process (docs/performance.md,
docs/decisions.md). Pages themselves stay Django templates; only what a form renders
(`{{ form }}`, `{{ field }}`) goes through Jinja2. A widget with no Jinja2 template
(the admin's, django.contrib.auth's) falls back to Django's."""

from functools import cached_property

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FormRenderer(Jinja2):
    # core/jinja2/core/form.html: the Bootstrap layout every form of the platform uses.
    form_template_name = "core/form.html"

    @cached_property
    def fallback(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
