package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// resumeExts are the extensions picked up when walking a folder. Files named
// on the command line are read whatever their name: the format is detected
// from content.
var resumeExts = map[string]bool{".pdf": true, ".docx": true, ".txt": true, ".md": true, ".markdown": true, ".text": true}

// expandPaths turns command-line arguments (files, folders walked
// recursively, glob patterns) into a sorted list of files without
// duplicates. Hidden files and folders are skipped when walking.
func expandPaths(args []string) ([]string, error) {
	seen := map[string]bool{}
	var files []string
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
	}
	for _, arg := range args {
		matches := []string{arg}
		if strings.ContainsAny(arg, "*?[") {
			m, err := filepath.Glob(arg)
			if err != nil {
				return nil, usagef("bad pattern %q: %v", arg, err)
			}
			if len(m) == 0 {
				return nil, usagef("%s: no files match", arg)
			}
			matches = m
		}
		for _, p := range matches {
			info, err := os.Stat(p)
			if err != nil {
				return nil, usagef("%v", err)
			}
			if !info.IsDir() {
				add(p)
				continue
			}
			err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				name := d.Name()
				if path != p && strings.HasPrefix(name, ".") {
					if d.IsDir() {
						return filepath.SkipDir
					}
					return nil
				}
				if d.Type().IsRegular() && resumeExts[strings.ToLower(filepath.Ext(name))] {
					add(path)
				}
				return nil
			})
			if err != nil {
				return nil, fmt.Errorf("reading folder %s: %w", p, err)
			}
		}
	}
	sort.Strings(files)
	return files, nil
}
