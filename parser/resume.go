package parser

import (
	"encoding/json"
	"fmt"
	"time"
)

// Format is a document format, detected from content.
type Format string

// Formats the parser reads.
const (
	FormatPDF      Format = "pdf"
	FormatDOCX     Format = "docx"
	FormatText     Format = "text"
	FormatMarkdown Format = "markdown"
)

// Status says how far parsing got.
type Status string

// Statuses of a parse.
const (
	StatusOK     Status = "ok"      // text was extracted and structured
	StatusNoText Status = "no_text" // the document has no text layer (scanned image, outlined text)
	StatusError  Status = "error"   // the document could not be read; see Resume.Error
)

// SectionKind classifies a resume section.
type SectionKind string

// Section kinds. Headings that map to none of the others are KindOther.
const (
	KindHeader         SectionKind = "header" // text before the first heading: name, contact, title
	KindSummary        SectionKind = "summary"
	KindExperience     SectionKind = "experience"
	KindEducation      SectionKind = "education"
	KindCertifications SectionKind = "certifications"
	KindSkills         SectionKind = "skills"
	KindOther          SectionKind = "other"
)

// Degree levels, lowest to highest. The empty level means none was found.
const (
	LevelAssociate = "associate"
	LevelBachelor  = "bachelor"
	LevelMaster    = "master"
	LevelDoctorate = "doctorate"
)

// LevelRank orders degree levels: 0 for unknown, 1 associate ... 4 doctorate.
func LevelRank(level string) int {
	switch level {
	case LevelAssociate:
		return 1
	case LevelBachelor:
		return 2
	case LevelMaster:
		return 3
	case LevelDoctorate:
		return 4
	}
	return 0
}

// A Resume is the structured profile of one resume file.
//
// Text is the visible text in reading order; all offsets (sections, spans)
// are byte offsets into it. Text a reader cannot see is in HiddenText only.
// Contact details are in Contact so that they can be redacted; scoring never
// reads them.
type Resume struct {
	File             string       `json:"file"`
	Format           Format       `json:"format"`
	Pages            int          `json:"pages"`
	Status           Status       `json:"status"`
	Error            string       `json:"error"`
	Warnings         []string     `json:"warnings"`
	SHA256           string       `json:"sha256"`
	Bytes            int64        `json:"bytes"`
	AsOf             Month        `json:"as_of"`
	Text             string       `json:"text"`
	HiddenText       []HiddenText `json:"hidden_text"`
	Contact          Contact      `json:"contact"`
	Sections         []Section    `json:"sections"`
	Positions        []Position   `json:"positions"`
	Education        []Education  `json:"education"`
	Certifications   []string     `json:"certifications"`
	ExperienceMonths int          `json:"experience_months"`
	Producer         string       `json:"producer,omitempty"`
}

// Failed returns the Resume of a file that could not be read at all, such
// as one that cannot be opened: Status is StatusError and Error holds err.
func Failed(file string, err error) *Resume {
	r := &Resume{File: file, Status: StatusError, Error: err.Error()}
	r.fillSlices()
	return r
}

// fillSlices makes nil lists empty, so that JSON shows [] rather than null
// for a list that is simply empty.
func (r *Resume) fillSlices() {
	if r.Warnings == nil {
		r.Warnings = []string{}
	}
	if r.HiddenText == nil {
		r.HiddenText = []HiddenText{}
	}
	if r.Sections == nil {
		r.Sections = []Section{}
	}
	if r.Positions == nil {
		r.Positions = []Position{}
	}
	if r.Education == nil {
		r.Education = []Education{}
	}
	if r.Certifications == nil {
		r.Certifications = []string{}
	}
	c := &r.Contact
	if c.Emails == nil {
		c.Emails = []string{}
	}
	if c.Phones == nil {
		c.Phones = []string{}
	}
	if c.Links == nil {
		c.Links = []string{}
	}
}

// HiddenText is text a reader of the document cannot see: white on white,
// invisible render mode, outside the page, microscopic, or hidden by the
// format. It is reported and kept out of Text.
type HiddenText struct {
	Text   string `json:"text"`
	Reason string `json:"reason"`
	Page   int    `json:"page,omitempty"`
}

// Contact holds the personal details found in a resume. It is kept apart from
// everything scoring reads.
type Contact struct {
	Name   string   `json:"name"`
	Emails []string `json:"emails"`
	Phones []string `json:"phones"`
	Links  []string `json:"links"`
}

// A Section is a headed part of the resume. Start and End are byte offsets of
// the section (heading included) in Resume.Text.
type Section struct {
	Kind    SectionKind `json:"kind"`
	Heading string      `json:"heading"`
	Start   int         `json:"start"`
	End     int         `json:"end"`
}

// A Position is one job. End is nil when the position is current. Months
// counts inclusive calendar months, a year-only range as whole years, and a
// current position up to the parse's as-of month.
//
// Dates given as years only are stored so that this arithmetic holds: a
// year-only start is January; a year-only end Y is December of Y-1 when the
// start is in an earlier year ("2015 – 2020" is 2015-01..2019-12, 60
// months), and December of Y otherwise ("2019" and "2019 – 2019" are
// 2019-01..2019-12, 12 months). A season covers its months (Summer 2020 is
// 2020-06..2020-08; Fall 2011 – Spring 2012 is 2011-09..2012-05). A range
// that starts after the as-of month has Months 0; one that ends after it is
// counted to it; both are reported in Resume.Warnings. An undated position
// (a title under an employer with no dates) has a zero Start, a nil End and
// Months 0.
type Position struct {
	Title        string `json:"title"`
	Organization string `json:"organization"`
	Start        Month  `json:"start"`
	End          *Month `json:"end"`
	Current      bool   `json:"current"`
	Months       int    `json:"months"`
	Dates        string `json:"dates"`  // the date range as written
	Offset       int    `json:"offset"` // byte offset in Resume.Text of the position's first line
}

// Education is one degree or programme.
type Education struct {
	Level       string `json:"level"`  // LevelAssociate ... LevelDoctorate, or "" when not a degree
	Degree      string `json:"degree"` // as written: "B.S.", "Master of Science"
	Field       string `json:"field"`
	Institution string `json:"institution"`
	Year        int    `json:"year"`        // year completed (or expected); 0 when not given
	InProgress  bool   `json:"in_progress"` // expected, candidate, ongoing
}

// A Month is a calendar month. Its JSON form is "YYYY-MM".
type Month struct {
	Year  int
	Month int // 1-12
}

// MonthOf returns the month that t falls in.
func MonthOf(t time.Time) Month { return Month{t.Year(), int(t.Month())} }

// IsZero reports whether m is the zero Month.
func (m Month) IsZero() bool { return m.Year == 0 && m.Month == 0 }

// Index returns the number of months since year 0, for arithmetic.
func (m Month) Index() int { return m.Year*12 + m.Month - 1 }

// MonthFromIndex is the inverse of Month.Index.
func MonthFromIndex(i int) Month { return Month{i / 12, i%12 + 1} }

// Before reports whether m is earlier than o.
func (m Month) Before(o Month) bool { return m.Index() < o.Index() }

// String returns "YYYY-MM".
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, m.Month) }

// MarshalJSON writes "YYYY-MM", or null for the zero Month.
func (m Month) MarshalJSON() ([]byte, error) {
	if m.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(m.String())
}

// UnmarshalJSON reads "YYYY-MM" or null.
func (m *Month) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*m = Month{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	p, err := ParseMonth(s)
	if err != nil {
		return err
	}
	*m = p
	return nil
}

// ParseMonth parses "YYYY-MM".
func ParseMonth(s string) (Month, error) {
	var m Month
	if len(s) != 7 || s[4] != '-' {
		return m, fmt.Errorf("month %q: want YYYY-MM", s)
	}
	if _, err := fmt.Sscanf(s, "%04d-%02d", &m.Year, &m.Month); err != nil || m.Month < 1 || m.Month > 12 {
		return Month{}, fmt.Errorf("month %q: want YYYY-MM", s)
	}
	return m, nil
}
