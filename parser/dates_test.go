package parser

import (
	"testing"
)

var testAsOf = Month{2026, 11}

// dateForms are date ranges as resumes write them. start and end are
// "YYYY-MM"; end is "" for a current range.
var dateForms = []struct {
	in         string
	start, end string
	current    bool
	months     int // as of testAsOf; 0 to skip the check
}{
	{"Jan 2019 – Present", "2019-01", "", true, 95},
	{"January 2019 - Current", "2019-01", "", true, 95},
	{"2015-2018", "2015-01", "2017-12", false, 36},
	{"2015 – 2018", "2015-01", "2017-12", false, 36},
	{"2015 – 2020", "2015-01", "2019-12", false, 60},
	{"2019–2019", "2019-01", "2019-12", false, 12},
	{"2019", "2019-01", "2019-12", false, 12},
	{"03/2017 - 06/2020", "2017-03", "2020-06", false, 40},
	{"3/2017–6/2020", "2017-03", "2020-06", false, 40},
	{"03.2017 – 06.2020", "2017-03", "2020-06", false, 40},
	{"2017-03 to 2020-06", "2017-03", "2020-06", false, 40},
	{"Sept. 2012 to Aug. 2015", "2012-09", "2015-08", false, 36},
	{"Sep '12 – Aug '15", "2012-09", "2015-08", false, 36},
	{"Sep ’12 – Aug ’15", "2012-09", "2015-08", false, 36},
	{"2019–now", "2019-01", "", true, 95},
	{"since 2019", "2019-01", "", true, 95},
	{"Since March 2021", "2021-03", "", true, 69},
	{"2019 – ongoing", "2019-01", "", true, 95},
	{"Summer 2020", "2020-06", "2020-08", false, 3},
	{"Fall 2019 – Spring 2021", "2019-09", "2021-05", false, 21},
	{"Fall 2011 - Spring 2012", "2011-09", "2012-05", false, 9},
	{"Jan–Mar 2020", "2020-01", "2020-03", false, 3},
	{"Nov - Feb 2020", "2019-11", "2020-02", false, 4},
	{"(2016 – 2019)", "2016-01", "2018-12", false, 36},
	{"2016 — 2019", "2016-01", "2018-12", false, 36},
	{"from 2016 until 2019", "2016-01", "2018-12", false, 36},
	{"2012 - date", "2012-01", "", true, 179},
	{"May 2017 to Till Date", "2017-05", "", true, 115},
	{"February 1998 to date", "1998-02", "", true, 346},
	{"Oct. 2016 - PRÉSENT", "2016-10", "", true, 122},
	{"2018 – heute", "2018-01", "", true, 107},
	{"depuis 2020", "2020-01", "", true, 83},
	{"sept. 2014 – aujourd'hui", "2014-09", "", true, 147},
	{"2014 - actualidad", "2014-01", "", true, 155},
	{"März 2015 – Juli 2017", "2015-03", "2017-07", false, 29},
	{"Okt. 2010 bis Dez. 2012", "2010-10", "2012-12", false, 27},
	{"janv. 2018 à déc. 2019", "2018-01", "2019-12", false, 24},
	{"ene 2016 - dic 2017", "2016-01", "2017-12", false, 24},
	{"Jan 2015 ~ Mar 2016", "2015-01", "2016-03", false, 15},
	{"Jan 2015 – 2018", "2015-01", "2017-12", false, 36},
	{"2012-13", "2012-01", "2012-12", false, 12},
	{"2011-12", "2011-01", "2011-12", false, 12},
	{"2017-03", "2017-03", "2017-03", false, 1},
	{"Jul 2010", "2010-07", "2010-07", false, 1},
	{"April 2021", "2021-04", "2021-04", false, 1},
	{"June 5, 2019 – July 1, 2020", "2019-06", "2020-07", false, 14},
	{"5 June 2019 - 1 July 2020", "2019-06", "2020-07", false, 14},
	{"01/15/2019 - 03/31/2020", "2019-01", "2020-03", false, 15},
	{"2014.9 – 2017.3", "2014-09", "2017-03", false, 31},
	{"2014.9-现在", "2014-09", "", true, 147},
	{"Jun. 2022 ‑ August 2022", "2022-06", "2022-08", false, 3},
	{"Sep. 2023 \u00ad Mar. 2024", "2023-09", "2024-03", false, 7},
	{"October 2010 to July 2015 Company Name", "2010-10", "2015-07", false, 58},
	{"2008  2022", "2008-01", "2021-12", false, 168},
	{"20212021", "2021-01", "2021-12", false, 12},
	{"2008 2022 GPB, financial company", "2008-01", "2021-12", false, 168},
	{"Nov 2019 - Present _ DevOps Engineer", "2019-11", "", true, 85},
	{"Title, Org   Jan 2019 – Present", "2019-01", "", true, 95},
	{"Software Engineer Intern June 2022 – Sept. 2022", "2022-06", "2022-09", false, 4},
	{"Expected June 2023", "2023-06", "2023-06", false, 1},
	{"2019 through 2021", "2019-01", "2020-12", false, 24},
	{"Mar 2012 – May 2013 | Ithaca, NY", "2012-03", "2013-05", false, 15},
	{"Dec 2014 | Ithaca, NY", "2014-12", "2014-12", false, 1},
	{"Graduated 2016", "2016-01", "2016-12", false, 12},
	{"Oberlin College, 2010, GPA of 3.34", "2010-01", "2010-12", false, 12},
	{"2021 - 2027", "2021-01", "2026-12", false, 71},
	{"Jan 2019 -> Dec 2019", "2019-01", "2019-12", false, 12},
	{"2019/2020", "2019-01", "2019-12", false, 12},
	{"Winter 2020", "2020-01", "2020-03", false, 3},
	{"2016-present", "2016-01", "", true, 131},
	{"Jan. 2020 – Feb. 2020", "2020-01", "2020-02", false, 2},
	{"05/04 - 06/14", "2004-05", "2014-06", false, 122},
	{"02/02 – Present", "2002-02", "", true, 298},
}

func TestParseDateRange(t *testing.T) {
	for _, tc := range dateForms {
		t.Run(tc.in, func(t *testing.T) {
			r, ok := parseDateRange(tc.in)
			if !ok {
				t.Fatalf("parseDateRange(%q): no range; want %s..%s", tc.in, tc.start, tc.end)
			}
			sp := r.resolve(testAsOf)
			end := sp.end.String()
			if sp.current {
				end = ""
			}
			if sp.start.String() != tc.start || end != tc.end || sp.current != tc.current {
				t.Errorf("parseDateRange(%q) = %s..%q current=%v; want %s..%q current=%v",
					tc.in, sp.start, end, sp.current, tc.start, tc.end, tc.current)
			}
			if tc.months > 0 {
				if got, _ := sp.months(testAsOf); got != tc.months {
					t.Errorf("months(%q) = %d; want %d", tc.in, got, tc.months)
				}
			}
		})
	}
}

// notDates must not parse as date ranges.
var notDates = []string{
	"(555) 201-2019",
	"555-201-2019",
	"+1 202 555 2019",
	"2-3 years",
	"3.2017",
	"version 3.2017",
	"v2019",
	"grew revenue 2019%",
	"1999 Honda Civic",
	"managed 2000 employees",
	"Tampa, FL 33647",
	"Berlin 12043",
	"ISO 27001",
	"ISO 9001:2015",
	"NIST 800-53",
	"NIST SP 800-53 Rev. 5",
	"Windows 2000 - 2003 servers",
	"SQL Server 2019",
	"Windows Server 2012 R2",
	"Office 2016",
	"the 1990s",
	"$2019",
	"may be",
	"March",
	"Jan - Mar",
	"Ref 2019-1",
	"2016 2017 2018",
	"10.0.2019.5",
	"in 2019 I led a team",
	"ISO/IEC 27001:2013",
	"12345678",
	"3/4 of the team",
	"05/04",
	"scored 10/12",
}

func TestNotDates(t *testing.T) {
	for _, in := range notDates {
		t.Run(in, func(t *testing.T) {
			if r, ok := parseDateRange(in); ok {
				sp := r.resolve(testAsOf)
				t.Errorf("parseDateRange(%q) = %s..%s (%q); want no range", in, sp.start, sp.end, r.text(in))
			}
		})
	}
}

func TestDateSpanText(t *testing.T) {
	in := "Acme Corp (Jan 2019 – Present) Boston"
	r, ok := parseDateRange(in)
	if !ok {
		t.Fatal("no range")
	}
	if got, want := r.text(in), "(Jan 2019 – Present)"; got != want {
		t.Errorf("text = %q; want %q", got, want)
	}
	in = "Expected May 2027"
	r, _ = parseDateRange(in)
	if !r.expected || r.text(in) != in {
		t.Errorf("expected = %v, text = %q; want true, %q", r.expected, r.text(in), in)
	}
}

func TestMonthsClamp(t *testing.T) {
	tests := []struct {
		start, end Month
		current    bool
		want       int
		note       bool
	}{
		{Month{2019, 1}, Month{2019, 12}, false, 12, false},
		{Month{2027, 1}, Month{2028, 1}, false, 0, true},    // future
		{Month{2020, 5}, Month{2019, 1}, false, 0, true},    // reversed
		{Month{2026, 1}, Month{2027, 6}, false, 11, true},   // ends after as-of
		{Month{2019, 1}, testAsOf, true, 95, false},         // current
		{Month{2026, 11}, Month{2026, 11}, false, 1, false}, // one month
		{Month{}, Month{}, false, 0, false},                 // undated
	}
	for _, tc := range tests {
		sp := span{start: tc.start, end: tc.end, current: tc.current}
		got, note := sp.months(testAsOf)
		if got != tc.want || (note != "") != tc.note {
			t.Errorf("months(%v..%v) = %d, %q; want %d, note %v", tc.start, tc.end, got, note, tc.want, tc.note)
		}
	}
}

func FuzzParseDateRange(f *testing.F) {
	for _, tc := range dateForms {
		f.Add(tc.in)
	}
	for _, s := range notDates {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range findDates(s) {
			if r.lo < 0 || r.hi > len(s) || r.lo > r.hi {
				t.Fatalf("findDates(%q): span %d..%d out of range", s, r.lo, r.hi)
			}
			sp := r.resolve(testAsOf)
			if n, _ := sp.months(testAsOf); n < 0 {
				t.Fatalf("findDates(%q): negative months %d", s, n)
			}
		}
	})
}
