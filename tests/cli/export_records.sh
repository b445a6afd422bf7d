#!/bin/sh
# Records and concerns in the export, as the liaison worker reads them: a
# record written, corrected and given the child's own statement reads back
# in records.csv and report.html exactly, names and words in several
# scripts intact, a section of 20,000 characters whole; markup and a
# formula typed into a section stay text; concerns come first in the
# report, open before closed; nothing of a record reaches events.ics; the
# next export holds only what was written, corrected or closed since.
. "$(dirname "$0")/lib.inc"
DB=$HK_TMP/records.db
STICK=$HK_TMP/stick
mkdir -p "$STICK"
. "$(dirname "$0")/records_fixture.inc"
hub event add "Constellation picnic" --from "$(at 6 12:00)" --until 2h
stick_key "$STICK"
# Times are whole seconds and an export takes what was written at or after
# the last one's second: wait one, so the next export's "since" is clear.
sleep 1
succeeds "export of a hub with records and concerns" export --to "$STICK"
folder=$(opened)
for f in care.csv records.csv concerns.csv; do
	check "the export holds $f" [ -s "$folder/$f" ]
	check "the manifest lists $f" grep -q "  $f\$" "$folder/manifest.txt"
done
succeeds "verify --export accepts the export with records" verify --export "$folder"
check "events.ics holds no word of any record" \
	sh -c "! grep -qE 'Calpol|HYPERLINK|Tearful|tooth|公园|Stayed with her' '$folder/events.ics'"
check "the report holds no script and no image element" \
	sh -c "! grep -qiE '<script|<img' '$folder/report.html'"

# The texts as typed, for python to compare with.
export ACT WELL WORDS MEDS OPINION FIX SAYS CONCERN_OPEN ACTION_OPEN TOLD_OPEN \
	CONCERN_CLOSED OUTCOME_CLOSED CONCERN_ROUTINE REC_ADA REC_LAYLA REC_LATE REC_ANANYA \
	REC_MEI CON_OPEN CON_CLOSED CON_ROUTINE XSS_SCRIPT XSS_IMG FORMULA
python3 - "$folder" "$HK_TMP/long.txt" <<'PY' >"$HK_TMP/py.out" 2>&1
import csv, html.parser, os, sys
folder, long_path = sys.argv[1], sys.argv[2]
E = os.environ
LONG = open(long_path, encoding="utf-8").read()
def check(sentence, cond, why=""):
    print(("ok - " if cond else "not ok - ") + sentence + ("" if cond else " " + why))
def read(name):
    return list(csv.reader(open(os.path.join(folder, name), newline="", encoding="utf-8-sig"),
                           strict=True))
def plain(cell):
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@", "\t", "\r", "'") else cell

r = read("records.csv")
head, rows = r[0], r[1:]
col = {name: i for i, name in enumerate(head)}
check("records.csv has a column for every section",
      all(s in col for s in ("activities", "wellbeing", "words", "medicines", "opinion")))
check("records.csv names author, about, written, late, child, family, incident and concern",
      all(s in col for s in ("author", "about", "written", "late", "child", "family",
                             "incident", "concern_id")))
check("every row of records.csv has every column", all(len(x) == len(head) for x in rows))
check("records.csv has one row per record and per addendum (5 + 2)", len(rows) == 7, str(len(rows)))
def rec(rid):
    return [x for x in rows if x[col["record_id"]] == rid]
ada = rec(E["REC_ADA"])
check("Ada's record is followed by its correction, then her statement",
      [x[col["row"]] for x in ada] == ["record", "correction", "statement"])
a = ada[0]
check("the activities read back exactly (markup, Arabic, Chinese, Russian, emoji)",
      a[col["activities"]] == E["ACT"])
check("a section with a tab and two lines reads back exactly", a[col["wellbeing"]] == E["WELL"])
check("a section that is a formula is neutralised with one apostrophe",
      a[col["words"]] == "'" + E["FORMULA"])
check("removing that apostrophe gives the words back as typed", plain(a[col["words"]]) == E["WORDS"])
check("medicines and the carer's view read back exactly",
      a[col["medicines"]] == E["MEDS"] and a[col["opinion"]] == E["OPINION"])
check("the correction's text reads back exactly", ada[1][col["text"]] == E["FIX"])
check("the child's statement reads back exactly", ada[2][col["text"]] == E["SAYS"])
check("a record and its addenda name the child and the family",
      all(x[col["child"]] == "Ada" and x[col["family"]] == "the Oak family" for x in ada))
check("a record written the same hour is not late", a[col["late"]] == "no")
check("the record says which care session it is about", a[col["for"]] == "care")
late = rec(E["REC_LATE"])[0]
check("a record written ten days after is marked late", late[col["late"]] == "yes")
check("a section of 20,000 characters is whole in records.csv", late[col["activities"]] == LONG)
check("an Arabic name and family are intact",
      late[col["child"]] == "ليلى" and late[col["full_name"]] == "ليلى حداد"
      and late[col["family"]] == "عائلة حداد")
check("a record about a contact session says so", rec(E["REC_ANANYA"])[0][col["for"]] == "contact")
mei = rec(E["REC_MEI"])[0]
check("a record away from the hub says so, with its incident",
      mei[col["for"]] == "away" and mei[col["incident"]] == "injury"
      and mei[col["incident_text"]] == "Grazed knee in the playground")
check("a record with a concern names it and its level",
      rec(E["REC_LAYLA"])[0][col["concern_id"]] == E["CON_OPEN"]
      and rec(E["REC_LAYLA"])[0][col["concern_level"]] == "urgent")
check("records.csv is in the order of the times they are about",
      [x[col["about"]] for x in rows if x[0] == "record"] ==
      sorted(x[col["about"]] for x in rows if x[0] == "record"))

c = read("concerns.csv")
ch, crows = c[0], c[1:]
cc = {name: i for i, name in enumerate(ch)}
check("concerns.csv has one row per concern", len(crows) == 3, str(len(crows)))
check("the open concern comes first", crows[0][cc["id"]] == E["CON_OPEN"] and crows[0][cc["state"]] == "open")
o = crows[0]
check("the open concern's text, action and who was told read back exactly",
      o[cc["concern"]] == E["CONCERN_OPEN"] and o[cc["action"]] == E["ACTION_OPEN"]
      and o[cc["told"]] == E["TOLD_OPEN"] and o[cc["told_at"]] != "")
closed = [x for x in crows if x[cc["id"]] == E["CON_CLOSED"]][0]
check("the closed concern has its outcome and who closed it",
      closed[cc["state"]] == "closed" and closed[cc["outcome"]] == E["OUTCOME_CLOSED"]
      and closed[cc["closed_by"]].startswith("admin:"))
routine = [x for x in crows if x[cc["id"]] == E["CON_ROUTINE"]][0]
check("a routine concern not closed is 'noted'", routine[cc["state"]] == "noted")

allcells = [x for f in ("records.csv", "concerns.csv", "care.csv", "stays.csv", "contacts.csv")
            for row in read(f)[1:] for x in row]
check("no cell of the new CSVs starts a formula",
      not any(x[:1] in ("=", "+", "-", "@", "\t", "\r") for x in allcells))

# --- the report, parsed as a browser would ---
ALLOWED = set("html head meta title style body h1 h2 h3 h4 h5 p br code ol li section article"
              " div span bdi dl dt dd table thead tbody tfoot tr th td figure figcaption svg"
              " line text rect".split())
class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.texts, self.stack, self.order = set(), [], [], []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        if tag in ("br", "meta", "line", "rect"):
            return
        self.stack.append([tag, a.get("class", ""), []])
        if tag == "section":
            self.order.append(a.get("id") or a.get("class"))
        if tag == "article" and a.get("id", "").startswith("record-"):
            self.order.append(a["id"])
    def handle_endtag(self, tag):
        while self.stack:
            t, cls, buf = self.stack.pop()
            if "text" in cls.split():
                self.texts.append("".join(buf))
            if self.stack:
                self.stack[-1][2].extend(buf)
            if t == tag:
                break
    def handle_data(self, d):
        if self.stack:
            self.stack[-1][2].append(d)
p = Page()
p.feed(open(os.path.join(folder, "report.html"), encoding="utf-8").read())
check("the report uses only plain elements (no script, img, link, form, ...)",
      p.tags <= ALLOWED, str(sorted(p.tags - ALLOWED)))
for name in ("ACT", "WELL", "WORDS", "MEDS", "OPINION", "FIX", "SAYS", "CONCERN_OPEN",
             "ACTION_OPEN", "TOLD_OPEN", "CONCERN_CLOSED", "OUTCOME_CLOSED"):
    check("the report shows %s as text, exactly" % name, E[name] in p.texts)
check("the report shows the section of 20,000 characters whole", LONG in p.texts)
check("the formula is shown as typed, without an apostrophe", E["FORMULA"] in p.texts)
o = p.order
check("the concerns come first", o[0] == "concerns", str(o[:3]))
check("the figures and families come before the children",
      o.index("figures") < o.index("families") < o.index("children"))
kids = [x for x in o if x.startswith("child-")]
check("every child with time at the hub or a record has a page (5)", len(kids) == 5, str(len(kids)))
recs = [x for x in o if x.startswith("record-")]
check("every record is on its child's page", len(recs) == 5 and
      o.index("record-" + E["REC_LAYLA"]) < o.index("record-" + E["REC_LATE"]))
PY
cat "$HK_TMP/py.out"
grep -q '^not ok' "$HK_TMP/py.out" && failures=$((failures + 1))
check "python3 read the records back" grep -q '^ok' "$HK_TMP/py.out"

html=$folder/report.html
check "the report marks the late records" [ "$(grep -o 'LATE: written' "$html" | wc -l)" -eq 4 ]
check "the report starts each child on a new printed page" grep -q '\.child { break-before: page' "$html"
check "the report keeps a section's newlines (pre-wrap)" grep -q 'white-space: pre-wrap' "$html"

# --- the next export: only what changed since ---
sleep 1
hub record addendum "$REC_MEI" "It was the right knee, not the left"
hub concern close "$CON_OPEN" --outcome "Home visit by the social worker; she is safe"
hub record add Ben --at "$(at 1 10:30)" --activities "Lego, then a walk"
REC_BEN=$(id_of)
succeeds "the next export" export --to "$STICK"
next=$(opened)
succeeds "verify --export accepts the next export" verify --export "$next"
python3 - "$next" "$REC_MEI" "$REC_BEN" "$CON_OPEN" "$REC_LAYLA" <<'PY' >"$HK_TMP/py.out" 2>&1
import csv, os, sys
folder, mei, ben, con, layla = sys.argv[1:]
def check(sentence, cond, why=""):
    print(("ok - " if cond else "not ok - ") + sentence + ("" if cond else " " + why))
def read(name):
    return list(csv.reader(open(os.path.join(folder, name), newline="", encoding="utf-8-sig")))
r = read("records.csv")
ids = sorted({x[1] for x in r[1:]})
check("the next records.csv holds only the records written, corrected or whose concern"
      " was closed since", ids == sorted([mei, ben, layla]), str(ids))
check("the corrected record comes with its new correction",
      [x[0] for x in r[1:] if x[1] == mei] == ["record", "correction"])
c = read("concerns.csv")
check("the concern closed since is in the next concerns.csv, closed",
      [x[0] for x in c[1:]] == [con] and c[1][6] == "closed", str(c[1:]))
PY
cat "$HK_TMP/py.out"
grep -q '^not ok' "$HK_TMP/py.out" && failures=$((failures + 1))
check "python3 read the next export back" grep -q '^ok' "$HK_TMP/py.out"
finish
