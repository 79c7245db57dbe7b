#!/usr/bin/env python3
"""The message catalogues in web/i18n/ are complete and consistent with the code:

- every catalogue has exactly the keys of en.json, none empty;
- a translation uses the same {placeholders} as the English text, and a plural entry is an
  object with at least "one" and "other" in every language;
- every key the code names (t('key') in web/js, data-i18n / data-i18n-attr in web/*.html) exists
  in en.json, and every key of en.json is used somewhere (no dead text to translate);
- the code names its keys literally, so that this check sees all of them.

Usage: check_i18n.py [WEB_DIR]   (exit status 1 and a list of problems when something is wrong)"""

import json
import os
import re
import sys

PLACEHOLDER = re.compile(r"\{(\w+)\}")
# t('key'), t("key"), t(`key`) with a literal key; also reached through an alias like i18n.t(
T_CALL = re.compile(r"""(?<![\w$])t\(\s*(['"`])([A-Za-z0-9_.\-]+)\1""")
T_DYNAMIC = re.compile(r"""(?<![\w$.])t\(\s*(?!['"`][A-Za-z0-9_.\-]+['"`]\s*[,)])""")
DATA_I18N = re.compile(r"""data-i18n=["']([^"']+)["']""")
DATA_I18N_ATTR = re.compile(r"""data-i18n-attr=["']([^"']+)["']""")


def placeholders(value):
    texts = value.values() if isinstance(value, dict) else [value]
    return set().union(*(set(PLACEHOLDER.findall(str(t))) for t in texts))


def check_entry(lang, key, value, ref, problems):
    if isinstance(ref, dict):
        if not isinstance(value, dict) or not {"one", "other"} <= set(value):
            problems.append(f"{lang}.json: {key} must be a plural object with 'one' and 'other'")
            return
        if any(not isinstance(v, str) or not v.strip() for v in value.values()):
            problems.append(f"{lang}.json: {key} has an empty plural form")
    elif not isinstance(value, str) or not value.strip():
        problems.append(f"{lang}.json: {key} is empty or not text")
        return
    # {count} may be left out of a "one" form ("une réponse"), but no language may invent one.
    extra = placeholders(value) - placeholders(ref)
    missing = placeholders(ref) - placeholders(value) - ({"count"} if isinstance(ref, dict) else set())
    if extra or missing:
        problems.append(f"{lang}.json: {key} placeholders differ from en.json "
                        f"(extra {sorted(extra)}, missing {sorted(missing)})")


def strip_comments(src):
    """Drops /* */ blocks and whole-line // comments (their examples are not uses), keeping line numbers."""
    src = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), src, flags=re.S)
    return re.sub(r"(?m)^\s*//.*$", "", src)


def keys_in_code(web):
    used, problems = set(), []
    for root, _, files in os.walk(web):
        for name in files:
            path = os.path.join(root, name)
            if name.endswith(".js"):
                src = strip_comments(open(path, encoding="utf-8").read())
                used.update(m.group(2) for m in T_CALL.finditer(src))
                if not path.endswith(os.path.join("js", "i18n.js")):
                    for m in T_DYNAMIC.finditer(src):
                        line = src.count("\n", 0, m.start()) + 1
                        problems.append(f"{os.path.relpath(path, web)}:{line}: t() with a key that is not a literal")
            elif name.endswith(".html"):
                src = open(path, encoding="utf-8").read()
                used.update(DATA_I18N.findall(src))
                for spec in DATA_I18N_ATTR.findall(src):
                    used.update(p.split(":", 1)[1].strip() for p in spec.split(";") if ":" in p)
    return used, problems


def main():
    web = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "web")
    cat_dir = os.path.join(web, "i18n")
    langs = sorted(f[:-5] for f in os.listdir(cat_dir) if f.endswith(".json"))
    problems = []
    if not {"en", "fr", "de"} <= set(langs):
        problems.append(f"catalogues present: {langs}; en, fr and de are required")
    cats = {lang: json.load(open(os.path.join(cat_dir, f"{lang}.json"), encoding="utf-8")) for lang in langs}
    en = cats.get("en", {})
    for lang, cat in cats.items():
        for key in sorted(set(en) - set(cat)):
            problems.append(f"{lang}.json: missing {key}")
        for key in sorted(set(cat) - set(en)):
            problems.append(f"{lang}.json: {key} is not in en.json")
        for key in sorted(set(cat) & set(en)):
            check_entry(lang, key, cat[key], en[key], problems)
    used, code_problems = keys_in_code(web)
    problems += code_problems
    problems += [f"code uses {k}, which en.json lacks" for k in sorted(used - set(en))]
    problems += [f"en.json: {k} is used nowhere" for k in sorted(set(en) - used)]
    for p in problems:
        print(p)
    print(f"{len(langs)} catalogues, {len(en)} keys, {len(used)} keys used by the code, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
