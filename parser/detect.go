package parser

import (
	"archive/zip"
	"bytes"
	"fmt"
	"unicode/utf8"
)

// Detect returns the format of a document from its content, never its name.
// It fails with ErrUnsupportedFormat (saying what the content looks like)
// for formats sift does not read, and with ErrEncrypted for an encrypted
// Office document.
func Detect(data []byte) (Format, error) {
	head := data
	if len(head) > 1024 {
		head = head[:1024]
	}
	switch {
	case len(data) == 0:
		return "", fmt.Errorf("%w: the file is empty", ErrUnsupportedFormat)
	case bytes.Contains(head, []byte("%PDF-")):
		return FormatPDF, nil
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return detectZip(data)
	case bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")):
		if bytes.Contains(data, []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e")) {
			return "", fmt.Errorf("%w: a password-protected Office document", ErrEncrypted)
		}
		return "", fmt.Errorf("%w: a legacy Word .doc (OLE2) file; save it as DOCX or PDF", ErrUnsupportedFormat)
	case bytes.HasPrefix(data, []byte("{\\rtf")):
		return "", fmt.Errorf("%w: an RTF file; save it as DOCX or PDF", ErrUnsupportedFormat)
	}
	if kind := imageKind(data); kind != "" {
		return "", fmt.Errorf("%w: a %s image (OCR is not supported)", ErrUnsupportedFormat, kind)
	}
	if !isText(head) {
		return "", fmt.Errorf("%w: binary content that is not PDF, DOCX or text", ErrUnsupportedFormat)
	}
	if looksLikeHTML(head) {
		return "", fmt.Errorf("%w: an HTML page; print it to PDF", ErrUnsupportedFormat)
	}
	if looksLikeMarkdown(data) {
		return FormatMarkdown, nil
	}
	return FormatText, nil
}

func detectZip(data []byte) (Format, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("%w: a damaged ZIP archive (%v)", ErrMalformed, err)
	}
	var hasOpenDoc bool
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml", "word/document2.xml":
			return FormatDOCX, nil
		case "[Content_Types].xml":
			// An OOXML package; the main part may have another name,
			// which docxtext finds through the relationships.
			hasOpenDoc = true
		}
	}
	if hasOpenDoc {
		for _, f := range zr.File {
			if bytes.HasPrefix([]byte(f.Name), []byte("word/")) {
				return FormatDOCX, nil
			}
		}
		return "", fmt.Errorf("%w: an Office package that is not a Word document", ErrUnsupportedFormat)
	}
	for _, f := range zr.File {
		if f.Name == "mimetype" || f.Name == "content.xml" {
			return "", fmt.Errorf("%w: an OpenDocument file; save it as DOCX or PDF", ErrUnsupportedFormat)
		}
	}
	return "", fmt.Errorf("%w: a ZIP archive, not a Word document", ErrUnsupportedFormat)
}

func imageKind(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG")):
		return "PNG"
	case bytes.HasPrefix(data, []byte("\xFF\xD8\xFF")):
		return "JPEG"
	case bytes.HasPrefix(data, []byte("GIF8")):
		return "GIF"
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return "TIFF"
	}
	return ""
}

// isText reports whether b looks like text: UTF-8 or UTF-16 with a byte
// order mark, or a single-byte encoding with few control characters.
func isText(b []byte) bool {
	if bytes.HasPrefix(b, []byte("\xFF\xFE")) || bytes.HasPrefix(b, []byte("\xFE\xFF")) {
		return true
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return false
	}
	if utf8.Valid(trimPartialRune(b)) {
		return true
	}
	control := 0
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			control++
		}
	}
	return control*20 < len(b)
}

// trimPartialRune drops a rune cut off at the end of a prefix.
func trimPartialRune(b []byte) []byte {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		r, size := utf8.DecodeLastRune(b)
		if r != utf8.RuneError || size != 1 {
			return b
		}
		b = b[:len(b)-1]
	}
	return b
}

func looksLikeHTML(head []byte) bool {
	h := bytes.ToLower(bytes.TrimSpace(head))
	return bytes.HasPrefix(h, []byte("<!doctype html")) || bytes.HasPrefix(h, []byte("<html"))
}

// looksLikeMarkdown reports whether text uses Markdown structure: ATX
// headings, or emphasis and link syntax on several lines.
func looksLikeMarkdown(data []byte) bool {
	headings, marks := 0, 0
	for _, line := range bytes.Split(data, []byte("\n")) {
		l := bytes.TrimSpace(line)
		if len(l) > 1 && l[0] == '#' {
			i := bytes.IndexFunc(l, func(r rune) bool { return r != '#' })
			if i > 0 && i <= 6 && (l[i] == ' ' || l[i] == '\t') {
				headings++
			}
		}
		if bytes.Contains(l, []byte("**")) || bytes.Contains(l, []byte("](")) || bytes.HasPrefix(l, []byte("---")) && len(bytes.Trim(l, "-")) == 0 {
			marks++
		}
	}
	return headings >= 1 || marks >= 3
}
