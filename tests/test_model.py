"""The document model is immutable and its text helpers see every word."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.model import Emphasis, LineBreak, Link, Meta, Paragraph, Strong, Text, inline_text


def test_model_is_frozen() -> None:
    para = Paragraph((Text("a"),), 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        para.line = 4  # type: ignore[misc]
    meta = Meta(title="T", code="X_01")
    with pytest.raises(dataclasses.FrozenInstanceError):
        meta.code = "Y"  # type: ignore[misc]


def test_every_field_is_documented() -> None:
    import ast
    import inspect

    import pipeline.model as model

    tree = ast.parse(inspect.getsource(model))
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        body = cls.body
        for i, node in enumerate(body):
            if isinstance(node, ast.AnnAssign):
                following = body[i + 1] if i + 1 < len(body) else None
                assert isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant), (
                    f"{cls.name}.{ast.unparse(node.target)} has no docstring"
                )


def test_inline_text() -> None:
    content = (Text("Call "), Strong((Text("now"),)), LineBreak(),
               Link("https://x.nhs.uk", (Emphasis((Text("here"),)),)))
    assert inline_text(content) == "Call now here"
