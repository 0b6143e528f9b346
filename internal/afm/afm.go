// Package afm holds glyph widths of the PDF standard 14 fonts, for PDFs
// that use those fonts without listing widths, and for writing test PDFs.
//
// Widths are in 1/1000 of the font size, for the printable ASCII range of
// the fonts' standard encodings; Courier is fixed at 600. Oblique and italic
// faces share the widths of their upright faces where the metrics agree
// (Helvetica); Times faces differ and are listed separately.
package afm

import "strings"

// printable ASCII widths, code 32 (space) through 126 (~).
var (
	helvetica = [95]uint16{
		278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
		556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
		1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
		667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
		333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
		556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
	}
	helveticaBold = [95]uint16{
		278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
		556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
		975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
		667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
		333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
		611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
	}
	timesRoman = [95]uint16{
		250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,
		500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444,
		921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722,
		556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500,
		333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
		500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
	}
	timesBold = [95]uint16{
		250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278,
		500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500,
		930, 722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778,
		611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581, 500,
		333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500,
		556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520,
	}
	timesItalic = [95]uint16{
		250, 333, 420, 500, 500, 833, 778, 214, 333, 333, 500, 675, 250, 333, 250, 278,
		500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 675, 675, 675, 500,
		920, 611, 611, 667, 722, 611, 611, 722, 722, 333, 444, 667, 556, 833, 667, 722,
		611, 722, 611, 500, 556, 722, 611, 833, 611, 556, 556, 389, 278, 389, 422, 500,
		333, 500, 500, 444, 500, 444, 278, 500, 500, 278, 278, 444, 278, 722, 500, 500,
		500, 500, 389, 389, 278, 500, 444, 667, 444, 444, 389, 400, 275, 400, 541,
	}
	timesBoldItalic = [95]uint16{
		250, 389, 555, 500, 500, 833, 778, 278, 333, 333, 500, 570, 250, 333, 250, 278,
		500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500,
		832, 667, 667, 667, 722, 667, 667, 722, 778, 389, 500, 667, 611, 889, 722, 722,
		611, 722, 667, 556, 611, 722, 667, 889, 667, 611, 611, 333, 278, 333, 570, 500,
		333, 500, 500, 444, 500, 444, 333, 500, 556, 278, 278, 500, 278, 778, 556, 500,
		500, 500, 389, 389, 278, 556, 444, 667, 500, 444, 389, 348, 220, 348, 570,
	}
)

// Ligature and other glyph widths the standard encodings reach beyond ASCII,
// shared by the faces that have them (fi and fl are as wide as two narrow
// letters in each family).
var extra = map[string]map[rune]uint16{
	"Helvetica":      {'\uFB01': 500, '\uFB02': 500, '\u2022': 350, '\u2013': 556, '\u2014': 1000, '\u00A0': 278},
	"Helvetica-Bold": {'\uFB01': 611, '\uFB02': 611, '\u2022': 350, '\u2013': 556, '\u2014': 1000, '\u00A0': 278},
	"Times-Roman":    {'\uFB01': 556, '\uFB02': 556, '\u2022': 350, '\u2013': 500, '\u2014': 1000, '\u00A0': 250},
	"Times-Bold":     {'\uFB01': 556, '\uFB02': 556, '\u2022': 350, '\u2013': 500, '\u2014': 1000, '\u00A0': 250},
}

// family maps a base font name (subset prefix and style suffixes allowed) to
// a table, and reports the canonical name.
func family(name string) (string, *[95]uint16) {
	if i := strings.IndexByte(name, '+'); i == 6 {
		name = name[i+1:]
	}
	n := strings.ToLower(name)
	bold := strings.Contains(n, "bold") || strings.Contains(n, "black") || strings.Contains(n, "heavy")
	italic := strings.Contains(n, "italic") || strings.Contains(n, "oblique")
	switch {
	case strings.HasPrefix(n, "courier"):
		return "Courier", nil
	case strings.HasPrefix(n, "times"):
		switch {
		case bold && italic:
			return "Times-BoldItalic", &timesBoldItalic
		case bold:
			return "Times-Bold", &timesBold
		case italic:
			return "Times-Italic", &timesItalic
		}
		return "Times-Roman", &timesRoman
	case strings.HasPrefix(n, "helvetica"), strings.HasPrefix(n, "arial"):
		if bold {
			return "Helvetica-Bold", &helveticaBold
		}
		return "Helvetica", &helvetica
	}
	return "", nil
}

// Known reports whether name is one of the standard 14 text fonts (or Arial,
// which shares Helvetica's metrics) under any of its usual spellings.
func Known(name string) bool {
	canon, _ := family(name)
	return canon != ""
}

// Width returns the advance width of r in font name, in 1/1000 of the font
// size. ok is false when the font or the glyph is not known.
func Width(name string, r rune) (w float64, ok bool) {
	canon, table := family(name)
	switch {
	case canon == "":
		return 0, false
	case canon == "Courier":
		return 600, true
	case r >= 32 && r <= 126:
		return float64(table[r-32]), true
	}
	if m := extra[canon]; m != nil {
		if w, ok := m[r]; ok {
			return float64(w), true
		}
	}
	return 0, false
}
