package scaffold

import "github.com/orgctl/orgctl/schema/safewrite"

// Write writes files into dir as init does: a file that already exists
// is kept as it is (safewrite.Skip), the others are created, all or none
// (see package safewrite). It returns what it did to each file, for
// WriteReport.
func Write(dir string, files []File) ([]safewrite.Planned, error) {
	targets := make([]safewrite.File, len(files))
	for i, f := range files {
		targets[i] = safewrite.File{Dir: dir, Path: f.Path, Data: f.Data}
	}
	return safewrite.Write(targets, safewrite.Skip)
}
