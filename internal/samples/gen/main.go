// Command gen writes sift's sample resumes to a folder.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"sift/internal/samples"
)

func main() {
	out := flag.String("out", "testdata/resumes", "folder to write the samples to")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	for _, s := range samples.All() {
		if err := os.WriteFile(filepath.Join(*out, s.Name), s.Data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
}
