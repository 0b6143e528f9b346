// Package layout holds the text of a document as a format reader found it:
// lines in reading order, each with what the format said about its looks.
//
// The format readers (pdftext, docxtext, and the plain-text and Markdown
// readers in parser) produce a Document; parser turns it into a Resume.
package layout

import "errors"

// Errors the format readers return, wrapped with detail. The parser package
// re-exports them so callers can branch with errors.Is.
var (
	// ErrEncrypted: the document needs a password to be read.
	ErrEncrypted = errors.New("document is encrypted")
	// ErrTooLarge: the document exceeds a size, page or decompression limit.
	ErrTooLarge = errors.New("document exceeds a limit")
	// ErrMalformed: the document is damaged beyond what the reader repairs.
	ErrMalformed = errors.New("document is malformed")
)

// A Line is one line of text in reading order.
type Line struct {
	Text   string  // the text, spaces normalised, no line break
	Page   int     // 1-based page number; 0 where the format has no pages
	Size   float64 // dominant font size in points; 0 when unknown
	Bold   bool    // most of the line is set in a bold face
	Italic bool    // most of the line is set in an italic face
	Caps   bool    // the line is set in capitals or small capitals by the format (not by its letters)
	X      float64 // left edge in points from the page's left edge (PDF); 0 otherwise
	Y      float64 // baseline in points from the page's top edge (PDF); 0 otherwise
	Gap    float64 // vertical space between this line and the one above, in points (PDF); 0 when unknown
	Style  string  // paragraph style name as the document names it (DOCX); "" otherwise
	Level  int     // heading level from markup (Markdown #, DOCX outline level + 1); 0 for body text
	Block  bool    // the line starts a paragraph, table cell, text box or column block
	List   bool    // the line is a list item (a bullet was dropped, or the format says so)
	Column int     // 0 for full-width text; 1, 2, ... for the column a line was read from (PDF)
}

// Hidden is text a reader of the rendered document cannot see. It is reported
// and kept out of the text that is matched.
type Hidden struct {
	Text   string `json:"text"`
	Reason string `json:"reason"` // one of the Reason constants
	Page   int    `json:"page,omitempty"`
}

// Reasons text is hidden.
const (
	ReasonWhiteText       = "white_text"            // white fill on a white (or no) background
	ReasonBackgroundColor = "background_color"      // fill the colour of what is behind it
	ReasonRenderMode      = "invisible_render_mode" // text render mode 3 (neither fill nor stroke)
	ReasonOutsidePage     = "outside_page"          // drawn outside the page's visible box
	ReasonTinyFont        = "tiny_font"             // rendered smaller than a reader can see
	ReasonVanish          = "vanish"                // DOCX hidden-text formatting (w:vanish)
)

// A Document is what a format reader produces.
type Document struct {
	Pages    int      // pages in the document; 0 where the format has none
	Lines    []Line   // visible text in reading order
	Hidden   []Hidden // text a reader cannot see
	Warnings []string // what the reader worked around or skipped, for the user
	Producer string   // the software that wrote the document, when it says
}
