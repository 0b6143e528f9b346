package parser

import (
	"errors"
	"fmt"

	"sift/parser/internal/layout"
)

// Errors callers branch on with errors.Is. Parse wraps them in an *Error that
// names the file and, where known, the page.
var (
	ErrUnsupportedFormat = errors.New("unsupported format")
	ErrEncrypted         = layout.ErrEncrypted
	ErrTooLarge          = layout.ErrTooLarge
	ErrMalformed         = layout.ErrMalformed
	ErrNoText            = errors.New("no text found")
	ErrTimeout           = errors.New("parse timed out")
	ErrPanic             = errors.New("internal error in a document library")
)

// An Error says which operation failed on which file.
type Error struct {
	Op   string // "parse", "pdf", "docx", ...
	File string // the name the caller gave
	Err  error
}

func (e *Error) Error() string {
	if e.File == "" {
		return fmt.Sprintf("%s: %v", e.Op, e.Err)
	}
	return fmt.Sprintf("%s: %s: %v", e.Op, e.File, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Reason returns a short machine-readable reason for err, for metrics and
// JSON output: "unsupported_format", "encrypted", "too_large", "malformed",
// "no_text", "timeout", "panic", "canceled" or "error".
func Reason(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrUnsupportedFormat):
		return "unsupported_format"
	case errors.Is(err, ErrEncrypted):
		return "encrypted"
	case errors.Is(err, ErrTooLarge):
		return "too_large"
	case errors.Is(err, ErrMalformed):
		return "malformed"
	case errors.Is(err, ErrNoText):
		return "no_text"
	case errors.Is(err, ErrTimeout):
		return "timeout"
	case errors.Is(err, ErrPanic):
		return "panic"
	case errors.Is(err, errCanceled):
		return "canceled"
	}
	return "error"
}
