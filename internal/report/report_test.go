package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"sift/parser"
	"sift/rules"
)

func sampleReport() *Report {
	strong := rules.Result{
		File: "strong.pdf", Score: 92.5, Qualified: true, Tier: "strong",
		Requirements: []rules.Outcome{
			{ID: "degree", Requirement: "Bachelor's degree", Kind: "degree", Status: "met", Credit: 1, Weight: 10, Points: 50, Knockout: true,
				Evidence: []rules.Evidence{{Text: "B.S.", Context: "B.S. in Information Systems", Section: "education", Start: 10, End: 14}}},
			{ID: "laws", Requirement: "Security laws", Kind: "terms", Status: "partial", Credit: 0.5, Weight: 10, Points: 25, Gap: "names 1 of 2 laws; GLBA not found", Detail: "names HIPAA: 1 of the 2 laws for full credit",
				Evidence: []rules.Evidence{{Text: "HIPAA", Context: "Led <script>alert(1)</script> HIPAA audits", Term: "HIPAA", Section: "experience", Start: 40, End: 45}}},
		},
		KnockoutsFailed: []string{}, Profile: rules.ProfileRef{ID: "cso", Hash: "0123456789abcdef"}, AsOf: parser.Month{Year: 2026, Month: 11}, Version: "test",
	}
	weak := strong
	weak.File, weak.Score, weak.Qualified, weak.Tier = "weak & co.pdf", 20, false, "weak"
	weak.KnockoutsFailed = []string{"degree"}
	weak.Requirements = []rules.Outcome{
		{ID: "degree", Requirement: "Bachelor's degree", Status: "missing", Weight: 10, Knockout: true, Failed: true, Gap: "no completed bachelor's degree found"},
		{ID: "laws", Requirement: "Security laws", Status: "partial", Credit: 0.4, Weight: 10, Points: 20, Gap: "names 1 of 2 laws"},
	}
	return &Report{
		Profile: ProfileInfo{ID: "cso", Title: "Chief Security Officer", Hash: "0123456789abcdef", Requirements: []Requirement{
			{ID: "degree", Requirement: "Bachelor's degree", Weight: 10, Knockout: true}, {ID: "laws", Requirement: "Security laws", Weight: 10}}},
		AsOf: "2026-11", Version: "test",
		Candidates: []rules.Result{strong, weak},
		Failures:   []Failure{{File: "locked.pdf", Status: "error", Reason: "encrypted", Error: "pdf: locked.pdf: document is encrypted"}},
		Total:      2,
	}
}

func TestTable(t *testing.T) {
	var b bytes.Buffer
	if err := Table(&b, sampleReport()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"RANK", "1      92.5  yes", "strong.pdf", "weak & co.pdf", "degree: no completed bachelor's degree found",
		"Could not score 1 file:", "locked.pdf: pdf: locked.pdf: document is encrypted", "Profile cso (Chief Security Officer, 0123456789ab)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q; got:\n%s", want, out)
		}
	}
	// The strong candidate's biggest gap is its partial requirement.
	if !strings.Contains(out, "laws: names 1 of 2 laws; GLBA not found") {
		t.Errorf("table does not give the strong candidate's main gap; got:\n%s", out)
	}
}

func TestCSV(t *testing.T) {
	var b bytes.Buffer
	if err := CSV(&b, sampleReport()); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v", err)
	}
	want := [][]string{
		{"rank", "file", "score", "qualified", "tier", "knockouts_failed", "degree", "laws", "error"},
		{"1", "strong.pdf", "92.5", "yes", "strong", "", "met", "partial 0.50", ""},
		{"2", "weak & co.pdf", "20.0", "no", "weak", "degree", "missing", "partial 0.40", ""},
		{"", "locked.pdf", "", "", "", "", "", "", "pdf: locked.pdf: document is encrypted"},
	}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows; want %d: %q", len(rows), len(want), rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q; want %q", i, rows[i], want[i])
		}
	}
}

func TestJSONAndJSONL(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, sampleReport()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Profile    ProfileInfo
		Candidates []map[string]any
		Failures   []Failure
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("JSON output does not parse: %v", err)
	}
	if len(doc.Candidates) != 2 || len(doc.Failures) != 1 || doc.Profile.Hash != "0123456789abcdef" {
		t.Errorf("got %d candidates, %d failures, hash %q; want 2, 1, 0123456789abcdef", len(doc.Candidates), len(doc.Failures), doc.Profile.Hash)
	}
	for _, key := range []string{"file", "score", "qualified", "tier", "requirements", "knockouts_failed", "profile", "as_of", "version"} {
		if _, ok := doc.Candidates[0][key]; !ok {
			t.Errorf("candidate JSON lacks key %q", key)
		}
	}
	b.Reset()
	if err := JSONL(&b, sampleReport()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d JSONL lines; want 3", len(lines))
	}
	var failure Failure
	if err := json.Unmarshal([]byte(lines[2]), &failure); err != nil || failure.Reason != "encrypted" {
		t.Errorf("last line = %s; want the failure with reason encrypted", lines[2])
	}
}

func TestHTML(t *testing.T) {
	var b bytes.Buffer
	if err := HTML(&b, sampleReport()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"<!doctype html>", "<title>Chief Security Officer: ranked candidates</title>",
		`<a href="#c-strong-pdf">strong.pdf</a>`, `id="c-weak---co-pdf"`,
		"Led &lt;script&gt;alert(1)&lt;/script&gt; <mark>HIPAA</mark> audits",
		"<mark>B.S.</mark> in Information Systems", "@media print", "knockout failed: degree",
		"locked.pdf", "weak &amp; co.pdf", `<div class="detail">names HIPAA: 1 of the 2 laws for full credit</div>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if strings.Contains(out, "<script>") {
		t.Errorf("HTML contains an unescaped <script> from evidence text")
	}
	for _, external := range []string{"<link ", "src=\"http", "@import"} {
		if strings.Contains(out, external) {
			t.Errorf("HTML is not self-contained: it contains %q", external)
		}
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	err := Write(&bytes.Buffer{}, "xml", sampleReport())
	if err == nil || !strings.Contains(err.Error(), "table, csv, json, jsonl, html") {
		t.Errorf("Write(xml) error = %v; want one naming the formats", err)
	}
}

func TestHighlight(t *testing.T) {
	tests := []struct {
		e    rules.Evidence
		want string
	}{
		{rules.Evidence{Text: "CISSP", Context: "Holds CISSP & CISM"}, "Holds <mark>CISSP</mark> &amp; CISM"},
		{rules.Evidence{Text: "absent", Context: "a <b>"}, "a &lt;b&gt;"},
		{rules.Evidence{Text: "", Context: "x"}, "x"},
	}
	for _, tt := range tests {
		if got := string(Highlight(tt.e)); got != tt.want {
			t.Errorf("Highlight(%+v) = %q; want %q", tt.e, got, tt.want)
		}
	}
}

func TestTableShowsCandidateIDs(t *testing.T) {
	r := sampleReport()
	r.Candidates[0].Candidate = "c0ffee12"
	var b bytes.Buffer
	if err := Table(&b, r); err != nil {
		t.Fatal(err)
	}
	if out := b.String(); !strings.Contains(out, "ID") || !strings.Contains(out, "c0ffee12  strong.pdf") {
		t.Errorf("table lacks the ID column:\n%s", out)
	}
}
