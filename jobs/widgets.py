"""The rich-text editor for job descriptions: a textarea that static/js/rich_text.js turns
into a Quill editor (vendored under static/vendor/quill). Without JavaScript the textarea
stays and takes the same limited HTML. Either way the server sanitises with nh3."""

from django import forms

from jobs.validation import rich_text_html


class RichTextEditor(forms.Textarea):
    template_name = "jobs/widgets/rich_text.html"

    class Media:
        css = {"all": ["vendor/quill/quill.core.css"]}
        js = ["vendor/quill/quill.js", "js/rich_text.js"]

    def __init__(self, attrs=None):
        super().__init__({"rows": 10, **(attrs or {})})

    def format_value(self, value):
        """What the editor starts from: sanitised HTML, plain text turned into paragraphs."""
        return rich_text_html(value or "")
