package parser

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"sift/parser/internal/layout"
)

// TestCorpus measures structure extraction against the hand-read labels of
// the shared corpus, feeding build the reference text of each document
// (pdftotext -layout output, DOCX body text) as lines without layout cues.
// It is a development measurement, skipped unless SIFT_CORPUS names the
// corpus directory:
//
//	SIFT_CORPUS=/work/shared/corpus go test ./parser/ -run TestCorpus -v
//
// SIFT_CORPUS_PARSE=1 runs Parser.ParseBytes on the documents themselves
// instead (the format readers included); SIFT_CORPUS_NOCOLUMNS=1 keeps two-column pages as pdftotext laid them out
// (side by side on one line); SIFT_CORPUS_COLLAPSE=1 collapses runs of spaces inside lines first (as a
// reader that normalises spaces would); SIFT_CORPUS_FILE=name limits the run
// to files whose name contains it and prints what was extracted (and, with
// SIFT_CORPUS_TEXT=1, the text).
func TestCorpus(t *testing.T) {
	dir := os.Getenv("SIFT_CORPUS")
	if dir == "" {
		t.Skip("SIFT_CORPUS not set")
	}
	labels, err := readLabels(filepath.Join(dir, "labels.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	only := os.Getenv("SIFT_CORPUS_FILE")
	collapse := os.Getenv("SIFT_CORPUS_COLLAPSE") != ""
	parse := os.Getenv("SIFT_CORPUS_PARSE") != ""
	var (
		files, degN, degOK                int
		certTP, certFP, certFN            int
		expN, expOK, posN, posOK, posNear int
		misses                            []string
	)
	for _, lb := range labels {
		name := lb["file"]
		if only != "" && !strings.Contains(name, only) {
			continue
		}
		if lb["has_text"] == "no" {
			continue
		}
		res := &Resume{AsOf: Month{2026, 11}}
		if parse {
			// The whole parser on the document itself.
			data, err := os.ReadFile(filepath.Join(dir, "docs", name))
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			p := &Parser{AsOf: res.AsOf}
			res, err = p.ParseBytes(context.Background(), name, data)
			if err != nil {
				t.Logf("parse %s: %v", name, err)
			}
		} else {
			raw, err := os.ReadFile(filepath.Join(dir, "reference-text", name+".txt"))
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			structure(res, referenceDoc(string(raw), collapse))
		}
		files++
		for _, w := range res.Warnings {
			if strings.Contains(w, "internal error") {
				t.Errorf("%s: %s", name, w)
			}
		}

		// Degree level (completed degrees only).
		got := ""
		for _, e := range res.Education {
			if !e.InProgress && LevelRank(e.Level) > LevelRank(got) {
				got = e.Level
			}
		}
		want := lb["highest_degree"]
		if want == "none" || want == "unknown" {
			want = ""
		}
		degN++
		if got == want {
			degOK++
		} else {
			misses = append(misses, fmt.Sprintf("degree %s: got %q; want %q", name, got, want))
		}

		// Certifications.
		wantC := map[string]bool{}
		for _, c := range strings.Split(lb["certifications"], ";") {
			if c = strings.TrimSpace(c); c != "" {
				wantC[certKey(c)] = true
			}
		}
		gotC := map[string]bool{}
		for _, c := range res.Certifications {
			gotC[certKey(c)] = true
		}
		for c := range gotC {
			if wantC[c] {
				certTP++
			} else {
				certFP++
				misses = append(misses, fmt.Sprintf("cert+ %s: %s", name, c))
			}
		}
		for c := range wantC {
			if !gotC[c] {
				certFN++
				misses = append(misses, fmt.Sprintf("cert- %s: %s", name, c))
			}
		}

		// Months of experience.
		if wm, err := strconv.Atoi(lb["total_experience_months"]); err == nil {
			expN++
			tol := max(6, wm/10)
			if abs(res.ExperienceMonths-wm) <= tol {
				expOK++
			} else {
				misses = append(misses, fmt.Sprintf("months %s: got %d; want %d", name, res.ExperienceMonths, wm))
			}
		}
		// Positions.
		if wp, err := strconv.Atoi(lb["positions"]); err == nil {
			posN++
			if len(res.Positions) == wp {
				posOK++
			} else {
				misses = append(misses, fmt.Sprintf("positions %s: got %d; want %d", name, len(res.Positions), wp))
			}
			if abs(len(res.Positions)-wp) <= 1 {
				posNear++
			}
		}
		if only != "" {
			if os.Getenv("SIFT_CORPUS_TEXT") != "" {
				t.Logf("text:\n%s", res.Text)
			}
			dumpResume(t, res)
		}
	}
	sort.Strings(misses)
	for _, m := range misses {
		t.Log(m)
	}
	pct := func(a, b int) float64 {
		if b == 0 {
			return 0
		}
		return 100 * float64(a) / float64(b)
	}
	t.Logf("files with text: %d", files)
	t.Logf("degree level exact: %d/%d = %.1f%%", degOK, degN, pct(degOK, degN))
	t.Logf("certifications: precision %d/%d = %.1f%%, recall %d/%d = %.1f%%", certTP, certTP+certFP, pct(certTP, certTP+certFP), certTP, certTP+certFN, pct(certTP, certTP+certFN))
	t.Logf("experience months within max(6,10%%): %d/%d = %.1f%%", expOK, expN, pct(expOK, expN))
	t.Logf("positions count exact: %d/%d = %.1f%%; within 1: %d/%d = %.1f%%", posOK, posN, pct(posOK, posN), posNear, posN, pct(posNear, posN))
}

// certKey compares certification names: the canonical name when the table
// knows it, else the name folded to letters and digits.
func certKey(s string) string {
	if c := normalizeCertification(s); c != "" {
		return squash(c)
	}
	return squash(s)
}

// referenceDoc turns reference text into a layout.Document: one line per
// text line, a form feed starting a page. Unless SIFT_CORPUS_NOCOLUMNS is
// set, a page whose lines share a wide gutter is read as two columns, left
// then right, as the PDF reader does.
func referenceDoc(s string, collapse bool) *layout.Document {
	d := &layout.Document{Pages: 1}
	columns := os.Getenv("SIFT_CORPUS_NOCOLUMNS") == ""
	pages := strings.Split(strings.ReplaceAll(s, "\r", ""), "\f")
	for p, pg := range pages {
		lines := strings.Split(pg, "\n")
		if columns {
			if l, r, ok := splitColumns(lines); ok {
				lines = append(append(l, ""), r...)
			}
		}
		for _, ln := range lines {
			if collapse {
				ln = strings.Join(strings.Fields(ln), " ")
			}
			d.Lines = append(d.Lines, layout.Line{Text: strings.TrimRight(ln, " "), Page: p + 1})
		}
	}
	d.Pages = len(pages)
	return d
}

// splitColumns finds a gutter: a character column where many lines start
// text after a wide gap and few lines run across. It returns the left and
// right parts of the lines.
func splitColumns(lines []string) (left, right []string, ok bool) {
	rs := make([][]rune, len(lines))
	maxLen, nonEmpty := 0, 0
	for i, l := range lines {
		rs[i] = []rune(l)
		maxLen = max(maxLen, len(rs[i]))
		if strings.TrimSpace(l) != "" {
			nonEmpty++
		}
	}
	if nonEmpty < 10 {
		return nil, nil, false
	}
	at := func(r []rune, i int) rune {
		if i < len(r) {
			return r[i]
		}
		return ' '
	}
	bestX, bestScore := -1, 0
	for x := 25; x < maxLen-15; x++ {
		starts, cross, leftText := 0, 0, 0
		for _, r := range rs {
			if at(r, x-1) != ' ' && at(r, x) != ' ' {
				cross++
			}
			if at(r, x) != ' ' && at(r, x-1) == ' ' && at(r, x-2) == ' ' && at(r, x-3) == ' ' {
				starts++
				if strings.TrimSpace(string(r[:x])) != "" {
					leftText++
				}
			}
		}
		if cross*10 <= nonEmpty && starts*4 >= nonEmpty && leftText*5 >= nonEmpty && starts > bestScore {
			bestX, bestScore = x, starts
		}
	}
	if bestX < 0 {
		return nil, nil, false
	}
	for _, r := range rs {
		if len(r) <= bestX || at(r, bestX-1) != ' ' && at(r, bestX) != ' ' {
			left = append(left, string(r))
			continue
		}
		left = append(left, string(r[:bestX]))
		right = append(right, string(r[bestX:]))
	}
	return left, right, true
}

func readLabels(path string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var head []string
	var out []map[string]string
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if head == nil {
			head = cols
			continue
		}
		m := map[string]string{}
		for i, h := range head {
			if i < len(cols) {
				m[h] = cols[i]
			}
		}
		out = append(out, m)
	}
	return out, sc.Err()
}

// dumpResume logs what build extracted, for looking at one file.
func dumpResume(t *testing.T, r *Resume) {
	t.Helper()
	t.Logf("contact: %+v", r.Contact)
	for _, s := range r.Sections {
		t.Logf("section %-14s %q (%d..%d)", s.Kind, s.Heading, s.Start, s.End)
	}
	for _, p := range r.Positions {
		end := "current"
		if p.End != nil {
			end = p.End.String()
		}
		t.Logf("position %q @ %q %s..%s (%d) %q", p.Title, p.Organization, p.Start, end, p.Months, p.Dates)
	}
	t.Logf("experience months: %d", r.ExperienceMonths)
	for _, e := range r.Education {
		t.Logf("education %+v", e)
	}
	t.Logf("certifications: %v", r.Certifications)
	for _, w := range r.Warnings {
		t.Logf("warning: %s", w)
	}
}
