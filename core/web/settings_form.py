"""Build an admin form from a plugin's settings schema (a pydantic model).

Plugin authors describe settings once -- type, default, ``title``, ``description``, bounds -- and
get validation (API and form alike) plus an accessible form with labels and help texts.
"""
from __future__ import annotations

import enum
import typing
from typing import Any, Literal

from flask_wtf import FlaskForm
from pydantic import BaseModel, ValidationError
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional


def _choices(annotation) -> list[SelectChoice] | None:
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return [SelectChoice(str(v), str(v)) for v in typing.get_args(annotation)]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [SelectChoice(str(m.value), str(m.value)) for m in annotation]
    return None


def _is_list(annotation) -> bool:
    return typing.get_origin(annotation) in (list, tuple, set)


def form_class(schema: type[BaseModel], labels: dict[str, Any] | None = None) -> type[FlaskForm]:
    labels = labels or {}
    attrs: dict[str, Any] = {}
    for name, info in schema.model_fields.items():
        label = labels.get(name) or info.title or name.replace("_", " ").capitalize()
        help_text = info.description or ""
        annotation = info.annotation
        choices = _choices(annotation)
        if annotation is bool:
            attrs[name] = BooleanField(label, description=help_text)
        elif choices is not None:
            attrs[name] = SelectField(label, choices=choices, description=help_text)
        elif annotation is int:
            attrs[name] = IntegerField(label, description=help_text, validators=[Optional()])
        elif _is_list(annotation):
            attrs[name] = StringField(label, description=help_text or "Comma-separated values.")
        elif name.endswith("_text") or name in ("description", "rules"):
            attrs[name] = TextAreaField(label, description=help_text)
        else:
            attrs[name] = StringField(label, description=help_text)
    return type(f"{schema.__name__}Form", (FlaskForm,), attrs)


def initial_data(schema: type[BaseModel], values: BaseModel) -> dict[str, Any]:
    data = values.model_dump(mode="json")
    for name, info in schema.model_fields.items():
        if _is_list(info.annotation) and isinstance(data.get(name), list):
            data[name] = ", ".join(str(v) for v in data[name])
    return data


def collect(schema: type[BaseModel], form: FlaskForm) -> tuple[dict[str, Any] | None, bool]:
    """Read the form into a settings dict validated by the schema; errors go on the fields."""
    raw: dict[str, Any] = {}
    for name, info in schema.model_fields.items():
        value = form[name].data
        if _is_list(info.annotation):
            value = [v.strip() for v in (value or "").split(",") if v.strip()]
        if value is None and info.annotation is int:
            form[name].errors = list(form[name].errors) + ["A whole number is required."]
            continue
        raw[name] = value
    if any(form[name].errors for name in schema.model_fields):
        return None, False
    try:
        return schema.model_validate(raw).model_dump(mode="json"), True
    except ValidationError as exc:
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else None
            if field in schema.model_fields:
                form[field].errors = list(form[field].errors) + [error["msg"]]
        return None, False
