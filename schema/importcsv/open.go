package importcsv

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Open opens the export orgctl import csv reads: the file named file, or
// stdin when file is "-". source names it in Run's messages ("standard
// input", or the path with forward slashes). The caller closes in.
func Open(file string, stdin io.Reader) (in io.ReadCloser, source string, err error) {
	if file == "-" {
		return io.NopCloser(stdin), "standard input", nil
	}
	f, err := os.Open(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, "", fmt.Errorf("%s does not exist: check the path of the export", file)
	case err != nil:
		return nil, "", fmt.Errorf("opening the export: %w", err)
	}
	return f, filepath.ToSlash(file), nil
}
