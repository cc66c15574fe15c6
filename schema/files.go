package schema

import (
	"bytes"
	"io"
	"io/fs"
	"path"
	"strings"
)

// File is one file held in memory, as read from a git tree: Path is
// relative to the org root, with forward slashes.
type File struct {
	Path string
	Data []byte
	// Problem, when set, is reported instead of decoding Data (a
	// symlink that cannot be followed, say).
	Problem string
}

// LoadFiles decodes in-memory files as LoadFS would read them from disk:
// only *.yaml and *.yml outside hidden directories, leaving out what the
// .orgctlignore among the files and the Loader's excludes name. display is
// prefixed to each path in what users see.
func (l *Loader) LoadFiles(files []File, display string) *Set {
	var inputs []input
	ignore, problem := l.ignoreFor(func() (io.ReadCloser, error) {
		for _, f := range files {
			if f.Path == IgnoreFile && f.Problem == "" {
				return io.NopCloser(bytes.NewReader(f.Data)), nil
			}
		}
		return nil, fs.ErrNotExist
	})
	if problem != "" {
		inputs = append(inputs, input{file: path.Join(display, IgnoreFile), rel: IgnoreFile, problem: problem})
	}
	for _, f := range files {
		if !isYAML(f.Path) || hiddenDir(f.Path) || ignore.Ignored(f.Path, false) {
			continue
		}
		data := f.Data
		inputs = append(inputs, input{
			file:    path.Join(display, f.Path),
			rel:     f.Path,
			problem: f.Problem,
			size:    int64(len(f.Data)),
			open: func() (io.ReadCloser, int64, error) {
				return io.NopCloser(bytes.NewReader(data)), int64(len(data)), nil
			},
		})
	}
	return l.load(inputs)
}

// hiddenDir reports whether a slash path lies in a directory whose name
// starts with a dot.
func hiddenDir(p string) bool {
	parts := strings.Split(p, "/")
	for _, d := range parts[:len(parts)-1] {
		if strings.HasPrefix(d, ".") && d != "." && d != ".." {
			return true
		}
	}
	return false
}
