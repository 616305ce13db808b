"""Markdown as members type it, made into HTML that is safe to show: markdown-it renders it
with raw HTML disabled, then core.sanitize keeps only the allowed tags and link schemes."""

from __future__ import annotations

from markdown_it import MarkdownIt

from hw4all.core.sanitize import html_sanitize

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")


def markdown_html(text: str) -> str:
    return html_sanitize(_renderer.render(text or ""))
