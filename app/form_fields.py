"""The inputs of a form, by name: what they hold, whether anything was typed, filling them back.

Shared by the guard that asks before a filled form is dropped (``app.form_guard``) and the
keeper of its encrypted draft (``app.drafts``). A field named in ``context`` is preset by
where the form was opened (its UF, its bed): it is kept in a draft, but choosing it is not
"typing" (a form holding only its context closes without a question).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox

Field = QLineEdit | QComboBox | QCheckBox | QSpinBox
Value = str | bool | int | None


class FormFields:
    def __init__(self, fields: Mapping[str, Field], context: Iterable[str] = ()):
        self._fields = dict(fields)
        self._context = frozenset(context)
        self._blank = self.values()  # what the form held before anything was typed

    def values(self) -> dict[str, Value]:
        return {name: _value(widget) for name, widget in self._fields.items()}

    def is_filled(self) -> bool:
        """Something was typed or chosen (beyond the context): dropping it would lose work."""
        now = self.values()
        typed = (name for name in now if name not in self._context)
        return any(_typed(now[name]) != _typed(self._blank[name]) for name in typed)

    def apply(self, values: Mapping[str, object]) -> None:
        """Fill the form back (a draft taken up again); unknown names and stale choices are skipped."""
        for name, value in values.items():
            widget = self._fields.get(name)
            if isinstance(widget, QLineEdit) and isinstance(value, str):
                widget.setText(value)
            elif isinstance(widget, QCheckBox) and isinstance(value, bool):
                widget.setChecked(value)
            elif isinstance(widget, QSpinBox) and isinstance(value, int) and not isinstance(value, bool):
                widget.setValue(value)
            elif isinstance(widget, QComboBox):
                index = widget.findData(value)
                if index >= 0:
                    widget.setCurrentIndex(index)

    def on_change(self, slot: Callable[[], None]) -> None:
        """Call ``slot`` whenever any field changes (typed, chosen, or filled back)."""
        for widget in self._fields.values():
            if isinstance(widget, QLineEdit):
                widget.textChanged.connect(slot)
            elif isinstance(widget, QCheckBox):
                widget.toggled.connect(slot)
            elif isinstance(widget, QSpinBox):
                widget.valueChanged.connect(slot)
            else:
                widget.currentIndexChanged.connect(slot)


def _typed(value: Value) -> Value:
    return value.strip() if isinstance(value, str) else value


def _value(widget: Field) -> Value:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QSpinBox):
        return widget.value()
    data = widget.currentData()
    return data if isinstance(data, str | int | bool) else None
