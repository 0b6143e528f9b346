package main

import (
	"fmt"
	"os"
	"syscall"

	"sift/internal/pdfgen"
)

// longPDF writes a resume-like PDF of n dense pages.
func longPDF(n int) []byte {
	d := pdfgen.New()
	d.Compress = true
	body := pdfgen.Style{Size: 10}
	head := pdfgen.Style{Font: "Helvetica-Bold", Size: 13}
	for i := 0; i < n; i++ {
		p := d.AddPage(pdfgen.LetterW, pdfgen.LetterH)
		p.Text(72, 60, head, fmt.Sprintf("Project history, part %d", i+1))
		for line := 0; line < 52; line++ {
			p.Text(72, 84+float64(line)*13, body, fmt.Sprintf(
				"Led the security review %d.%d of access control, incident response and vendor risk for the operations team.", i+1, line+1))
		}
	}
	return d.Bytes()
}

// maxRSS returns a finished process's peak resident set in bytes.
func maxRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss * 1024 // Linux reports kilobytes
	}
	return 0
}
