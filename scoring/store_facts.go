package scoring

import (
	"encoding/binary"
	"errors"

	"sift/parser"
)

// The store keeps in memory, for every candidate, the part of its resume
// that rules' filters read (the facts of rules.Filter: certifications,
// degrees, positions, experience, the as-of month; no text, no contact
// details), so that a Where filter runs without reading files. The facts
// are kept encoded, a few hundred bytes a candidate, and decoded for each
// evaluation in about a microsecond.
//
// The encoding: a version byte, then varints and length-prefixed strings:
//
//	as-of month, experience months,
//	certifications: count, strings
//	education: count, then level, degree, field, institution, year, in progress
//	positions: count, then title, organization, start, end, current, months
//
// A month is 0 when zero, else Month.Index()+1; a position's end is 0 when
// nil (current), else 1 + its month.
const factsVersion = 1

// encodeFacts encodes the facts of r.
func encodeFacts(r *parser.Resume) []byte {
	b := make([]byte, 0, 64+32*len(r.Positions))
	b = append(b, factsVersion)
	b = appendMonth(b, r.AsOf)
	b = binary.AppendVarint(b, int64(r.ExperienceMonths))
	b = binary.AppendUvarint(b, uint64(len(r.Certifications)))
	for _, c := range r.Certifications {
		b = appendString(b, c)
	}
	b = binary.AppendUvarint(b, uint64(len(r.Education)))
	for _, e := range r.Education {
		b = appendString(b, e.Level)
		b = appendString(b, e.Degree)
		b = appendString(b, e.Field)
		b = appendString(b, e.Institution)
		b = binary.AppendVarint(b, int64(e.Year))
		b = appendBool(b, e.InProgress)
	}
	b = binary.AppendUvarint(b, uint64(len(r.Positions)))
	for _, p := range r.Positions {
		b = appendString(b, p.Title)
		b = appendString(b, p.Organization)
		b = appendMonth(b, p.Start)
		if p.End == nil {
			b = binary.AppendUvarint(b, 0)
		} else {
			b = binary.AppendUvarint(b, 1+monthCode(*p.End))
		}
		b = appendBool(b, p.Current)
		b = binary.AppendVarint(b, int64(p.Months))
	}
	return b
}

func monthCode(m parser.Month) uint64 {
	if m.IsZero() {
		return 0
	}
	return uint64(m.Index()) + 1
}

func appendMonth(b []byte, m parser.Month) []byte { return binary.AppendUvarint(b, monthCode(m)) }

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

var errFacts = errors.New("malformed facts")

// A factsReader decodes facts; the first error sticks.
type factsReader struct {
	b   []byte
	err error
}

func (d *factsReader) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err, d.b = errFacts, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *factsReader) varint() int {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err, d.b = errFacts, nil
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

// count reads a count of items of at least min bytes each.
func (d *factsReader) count(min int) int {
	n := d.uvarint()
	if n > uint64(len(d.b)/min) {
		d.err, d.b = errFacts, nil
		return 0
	}
	return int(n)
}

func (d *factsReader) string() string {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err, d.b = errFacts, nil
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *factsReader) bool() bool {
	if len(d.b) == 0 {
		d.err = errFacts
		return false
	}
	v := d.b[0] != 0
	d.b = d.b[1:]
	return v
}

func (d *factsReader) month() parser.Month { return monthOfCode(d.uvarint()) }

func monthOfCode(c uint64) parser.Month {
	if c == 0 {
		return parser.Month{}
	}
	return parser.MonthFromIndex(int(c - 1))
}

// decodeFacts returns a Resume holding only the facts encoded in b, which
// is all a rules.Filter reads of a resume (has_term aside, which asks a
// Matcher).
func decodeFacts(b []byte) (*parser.Resume, error) {
	if len(b) == 0 || b[0] != factsVersion {
		return nil, errFacts
	}
	d := &factsReader{b: b[1:]}
	r := &parser.Resume{Status: parser.StatusOK}
	r.AsOf = d.month()
	r.ExperienceMonths = d.varint()
	r.Certifications = make([]string, d.count(1))
	for i := range r.Certifications {
		r.Certifications[i] = d.string()
	}
	r.Education = make([]parser.Education, d.count(6))
	for i := range r.Education {
		e := &r.Education[i]
		e.Level, e.Degree, e.Field, e.Institution = d.string(), d.string(), d.string(), d.string()
		e.Year = d.varint()
		e.InProgress = d.bool()
	}
	r.Positions = make([]parser.Position, d.count(6))
	for i := range r.Positions {
		p := &r.Positions[i]
		p.Title, p.Organization = d.string(), d.string()
		p.Start = d.month()
		if end := d.uvarint(); end > 0 {
			m := monthOfCode(end - 1)
			p.End = &m
		}
		p.Current = d.bool()
		p.Months = d.varint()
	}
	if d.err == nil && len(d.b) > 0 {
		d.err = errFacts
	}
	if d.err != nil {
		return nil, d.err
	}
	return r, nil
}
