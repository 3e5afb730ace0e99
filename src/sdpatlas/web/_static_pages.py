"""The pages of the static site: relative links, forms mapped to ready-made views, CSP in a meta.

Every ``href``, ``src`` and ``action`` naming a local address becomes a path relative to
the page's own file, so the folder works under any prefix; an address with no file (a
date or a filter combination not written, an answer that needs parameters) links to the
page saying what needs the server (:data:`SERVER_PAGE`). A form that reads (``GET``)
carries its ready-made views in ``data-variants`` (``static/static-site.js`` opens the
one matching the form) and lists them below it for readers without JavaScript; a form
that posts a document, and the API's "Try it" forms, are made ``inert`` and the page
says they need the server. The Content-Security-Policy travels as a ``<meta>``; a meta
cannot carry ``frame-ancestors`` (browsers ignore it there), so the header file
``_headers`` (read by hosts such as Netlify and Cloudflare Pages) repeats the full policy.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from sdpatlas.web._params import Param
from sdpatlas.web._site import Site

if TYPE_CHECKING:
    from sdpatlas.web._static_site import Answer, Crawl

__all__ = ["SERVER_PAGE", "Linker", "Page", "rewrite_html", "server_page"]

SERVER_PAGE = "needs-server.html"
SCRIPT = "static/static-site.js"
ATTRIBUTE = re.compile(r"""\b(href|src|action)="(/(?!/)[^"]*)\"""")
FORM = re.compile(r"<form\b[^>]*>")
CHARSET = '<meta charset="utf-8">'
MAIN = '<main id="main" class="wrap" tabindex="-1">'
NOTICE = ('<div class="card" role="note"><p><strong>The form on this page needs the '
          'server.</strong> This copy of SDP Atlas is a static site: it holds every page and '
          'API answer that does not depend on a posted document or a new date. '
          '<a href="{href}">How to run the server</a>.</p></div>')


@dataclass(frozen=True)
class Page:
    """A page of the static site, ready to write."""

    file: str
    html: str


def relative(target: str, page_file: str) -> str:
    """The link from one file of the site to another."""
    return posixpath.relpath(target, posixpath.dirname(page_file) or ".")


def variant_key(pairs: list[tuple[str, str]], defaults: dict[str, str]) -> str:
    """A form's values as ``static-site.js`` keys them: defaults dropped, names sorted."""
    kept = [(k, v) for k, v in pairs if v != "" and defaults.get(k) != v]
    return "&".join(f"{k}={v}" for k, v in sorted(kept, key=lambda kv: kv[0]))


class Linker:
    """Where each local address of the app lives in the static site."""

    def __init__(self, done: Crawl, site: Site, csp: str) -> None:
        self.done, self.site = done, site
        self.csp = re.sub(r";?\s*frame-ancestors[^;]*", "", csp).strip("; ")
        self.by_path: dict[str, list[tuple[str, Answer]]] = defaultdict(list)
        for address, answer in done.answers.items():
            if answer is not None:
                parts = urlsplit(address)
                self.by_path[parts.path].append((parts.query, answer))
        self.labels: dict[str, dict[str, str]] = {
            "area": {str(a.id): f"{a.id}. {a.short}" for a in site.data.areas},
            "group": site.group_labels, "cluster": site.cluster_labels, "partner": site.names}

    def link(self, value: str, page_file: str) -> str:
        """A local link (``/path?query#fragment``) as a path relative to a page file."""
        address, _, fragment = html.unescape(value).partition("#")
        answer = self.done.resolve(address)
        if answer is None:
            return relative(SERVER_PAGE, page_file)
        query = urlsplit(address).query if answer.file.startswith("static/") else ""
        return relative(answer.file, page_file) + (f"?{query}" if query else "") \
            + (f"#{fragment}" if fragment else "")

    def params(self, path: str) -> tuple[Param, ...]:
        """The parameters of the view at a path."""
        return next((e.all_params for e in self.site.endpoints if path in (e.page, e.api)), ())

    def defaults(self, path: str) -> dict[str, str]:
        """The default value of each parameter of the view at a path (a form may send them)."""
        return {p.name: str(p.default) for p in self.params(path)
                if p.default not in (None, False, ())}

    def variants(self, path: str, page_file: str) -> dict[str, tuple[str, str]]:
        """The ready-made views of a form's target: key → (relative link, label)."""
        defaults = self.defaults(path)
        out: dict[str, tuple[str, str]] = {}
        for query, answer in self.by_path.get(path, []):
            if not answer.media_type.startswith("text/html"):
                continue
            pairs = parse_qsl(query, keep_blank_values=True)
            shown = (relative(answer.file, page_file), self.label(pairs, path))
            out.setdefault(variant_key(pairs, defaults), shown)
            out.setdefault(variant_key(sorted(pairs), defaults), shown)
        return out

    def label(self, pairs: list[tuple[str, str]], path: str) -> str:
        """Words for a view's parameters (``group: NATO Allies``, ``assessed``)."""
        kinds = {p.name: p.kind for p in self.params(path)}
        defaults = self.defaults(path)
        names: dict[str, list[str]] = defaultdict(list)
        for k, v in pairs:
            if defaults.get(k) != v:
                names[k] += [] if kinds.get(k) == "flag" else \
                    [self.labels.get(kinds.get(k, ""), {}).get(v, v)]
        return "; ".join(f"{k.replace('_', ' ')}: {', '.join(v)}" if v else k
                         for k, v in names.items()) or "the default view"


def _attribute(tag: str, name: str) -> str | None:
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    return html.unescape(found.group(1)) if found else None


def _set(tag: str, name: str, value: str) -> str:
    escaped = html.escape(value, quote=True)
    if _attribute(tag, name) is not None:
        return re.sub(rf'\b{name}="[^"]*"', lambda _: f'{name}="{escaped}"', tag, count=1)
    return tag[:-1] + f' {name}="{escaped}">'


def _variant_list(variants: dict[str, tuple[str, str]]) -> str:
    unique = dict.fromkeys(variants.values())
    items = "".join(f'<li><a href="{html.escape(href)}">{html.escape(label)}</a></li>'
                    for href, label in unique)
    return (f'<details class="card static-views"><summary>Ready-made views ({len(unique)}): '
            f'other choices need the server</summary><ul class="chips">{items}</ul></details>')


def _forms(text: str, page_file: str, linker: Linker) -> tuple[str, bool]:
    """Forms mapped to ready-made views, or made inert; whether any needs the server."""
    out, last, needs_server = [], 0, False
    for found in FORM.finditer(text):
        tag = found.group(0)
        action = urlsplit(_attribute(tag, "action") or "").path
        variants = linker.variants(action, page_file) if action.startswith("/") else {}
        end = text.find("</form>", found.end())
        end = len(text) if end < 0 else end + len("</form>")
        if (_attribute(tag, "method") or "get").lower() != "get" or not variants:
            out += [text[last:found.start()], tag[:-1] + " inert>", text[found.end():end]]
            needs_server = True
        else:
            tag = _set(tag, "action", relative(SERVER_PAGE, page_file))
            tag = _set(tag, "data-variants", json.dumps(
                {k: href for k, (href, _) in variants.items()}, separators=(",", ":")))
            tag = _set(tag, "data-defaults", json.dumps(linker.defaults(action)))
            out += [text[last:found.start()], tag, text[found.end():end],
                    _variant_list(variants)]
        last = end
    out.append(text[last:])
    return "".join(out), needs_server


def rewrite_html(text: str, page_file: str, linker: Linker) -> Page:
    """A page of the app as a page of the static site."""
    text, needs_server = _forms(text, page_file, linker)
    text = ATTRIBUTE.sub(
        lambda m: f'{m.group(1)}="{html.escape(linker.link(m.group(2), page_file))}"', text)
    head = (f'\n<meta http-equiv="Content-Security-Policy" content="{html.escape(linker.csp)}">'
            '\n<meta name="referrer" content="strict-origin-when-cross-origin">')
    anchor = CHARSET if CHARSET in text else "<head>"
    text = text.replace(anchor, anchor + head, 1)
    script = f"{relative(SCRIPT, page_file)}?v={linker.site.tag}"
    text = text.replace("</head>", f'<script src="{script}" defer></script>\n</head>', 1)
    if needs_server:
        notice = NOTICE.format(href=relative(SERVER_PAGE, page_file))
        text = text.replace(MAIN, MAIN + "\n" + notice, 1)
    return Page(page_file, text)


def server_page(site: Site) -> str:
    """The page that says what needs the server and how to run it (links still absolute)."""
    template = site.env.get_template("static_server.html")
    return template.render(urls=site.urls(""), site=site, ctx=None,
                           title="This needs the server")
