package parser

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"sift/parser/internal/docxtext"
	"sift/parser/internal/layout"
	"sift/parser/internal/pdftext"
)

// Default limits. A zero field in Parser means its default.
const (
	DefaultMaxBytes        = 20 << 20  // 20 MiB per file
	DefaultMaxPages        = 50        // pages read from a PDF
	DefaultMaxDecompressed = 256 << 20 // bytes inflated from PDF streams or DOCX parts
	DefaultTimeout         = 30 * time.Second
)

var errCanceled = context.Canceled

// A Parser turns resume files into Resumes. The zero value is ready to use;
// its fields are limits and settings, each with a documented default. A
// Parser is safe for concurrent use.
type Parser struct {
	// MaxBytes is the largest file accepted; larger files fail with ErrTooLarge.
	// Default DefaultMaxBytes.
	MaxBytes int64
	// MaxPages is the most PDF pages read; a longer document fails with
	// ErrTooLarge. Default DefaultMaxPages.
	MaxPages int
	// MaxDecompressed caps the bytes inflated from compressed streams and
	// archive members; past it the document fails with ErrTooLarge.
	// Default DefaultMaxDecompressed.
	MaxDecompressed int64
	// Timeout bounds one Parse call. In process it is checked between pages
	// and operations (a loop inside a library cannot be interrupted); package
	// worker enforces it by killing the process. Default DefaultTimeout.
	Timeout time.Duration
	// AsOf is the date "Present" and "current" mean when months of
	// experience are counted. Default: the month of the call, from Now.
	AsOf Month
	// Now returns the current time; default time.Now.
	Now func() time.Time
}

func (p *Parser) maxBytes() int64 {
	if p.MaxBytes > 0 {
		return p.MaxBytes
	}
	return DefaultMaxBytes
}

func (p *Parser) maxPages() int {
	if p.MaxPages > 0 {
		return p.MaxPages
	}
	return DefaultMaxPages
}

func (p *Parser) maxDecompressed() int64 {
	if p.MaxDecompressed > 0 {
		return p.MaxDecompressed
	}
	return DefaultMaxDecompressed
}

func (p *Parser) timeout() time.Duration {
	if p.Timeout > 0 {
		return p.Timeout
	}
	return DefaultTimeout
}

func (p *Parser) asOf() Month {
	if !p.AsOf.IsZero() {
		return p.AsOf
	}
	if p.Now != nil {
		return MonthOf(p.Now())
	}
	return MonthOf(time.Now())
}

// Parse reads one resume from r and returns its structured profile. name is
// used in errors and in Resume.File only; the format is detected from
// content.
//
// Parse always returns a non-nil Resume describing what it learned (file,
// format, pages, warnings). When err is non-nil the Resume's Status is
// StatusNoText (err wraps ErrNoText) or StatusError, and its Error field holds
// err's message. A panic inside a document library is recovered and returned
// as an error wrapping ErrPanic.
func (p *Parser) Parse(ctx context.Context, name string, r io.Reader) (*Resume, error) {
	res := &Resume{File: name, AsOf: p.asOf(), Status: StatusError}
	data, err := io.ReadAll(io.LimitReader(r, p.maxBytes()+1))
	if err != nil {
		return p.fail(res, &Error{Op: "read", File: name, Err: err})
	}
	if int64(len(data)) > p.maxBytes() {
		return p.fail(res, &Error{Op: "read", File: name, Err: fmt.Errorf("%w: larger than %d bytes", ErrTooLarge, p.maxBytes())})
	}
	return p.ParseBytes(ctx, name, data)
}

// ParseBytes is Parse for a document already in memory.
func (p *Parser) ParseBytes(ctx context.Context, name string, data []byte) (*Resume, error) {
	res := &Resume{File: name, AsOf: p.asOf(), Status: StatusError, Bytes: int64(len(data))}
	sum := sha256.Sum256(data)
	res.SHA256 = hex.EncodeToString(sum[:])
	if int64(len(data)) > p.maxBytes() {
		return p.fail(res, &Error{Op: "parse", File: name, Err: fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(data), p.maxBytes())})
	}
	format, err := Detect(data)
	res.Format = format
	if err != nil {
		return p.fail(res, &Error{Op: "parse", File: name, Err: err})
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout())
	defer cancel()

	doc, err := p.extract(ctx, format, data)
	if doc != nil {
		res.Pages = doc.Pages
		res.Warnings = append(res.Warnings, doc.Warnings...)
		res.Producer = doc.Producer
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%w after %s", ErrTimeout, p.timeout())
		}
		return p.fail(res, &Error{Op: string(format), File: name, Err: err})
	}
	build(res, doc)
	if res.Text == "" {
		err := ErrNoText
		if format == FormatPDF {
			err = fmt.Errorf("%w: the PDF has no text layer; its pages hold images or outlined text only (OCR is not supported)", ErrNoText)
		}
		return p.fail(res, &Error{Op: string(format), File: name, Err: err})
	}
	res.Status = StatusOK
	res.fillSlices()
	return res, nil
}

func (p *Parser) fail(res *Resume, err error) (*Resume, error) {
	res.Status = StatusError
	if errors.Is(err, ErrNoText) {
		res.Status = StatusNoText
	}
	res.Error = err.Error()
	res.fillSlices()
	return res, err
}

// extract runs the format reader, turning a panic into an error.
func (p *Parser) extract(ctx context.Context, format Format, data []byte) (doc *layout.Document, err error) {
	defer func() {
		if v := recover(); v != nil {
			doc = nil
			err = fmt.Errorf("%w: %v", ErrPanic, v)
		}
	}()
	switch format {
	case FormatPDF:
		return pdftext.Extract(ctx, data, pdftext.Options{MaxPages: p.maxPages(), MaxDecompressed: p.maxDecompressed()})
	case FormatDOCX:
		return docxtext.Extract(ctx, data, docxtext.Options{MaxDecompressed: p.maxDecompressed()})
	case FormatMarkdown:
		return readMarkdown(data), nil
	case FormatText:
		return readText(data), nil
	}
	return nil, ErrUnsupportedFormat
}
