package schema

import (
	"hash/maphash"
	"strings"
	"sync"
	"sync/atomic"
	"unique"
	"unsafe"

	"go.yaml.in/yaml/v3"
)

// interner keeps the strings a decoded document holds on to, for one
// decoding goroutine at a time (each load worker has its own):
//
//   - strings many documents repeat (teams, levels, coaches, domains) are
//     interned (see loadStrings);
//   - lists of them (expertise) are shared between the documents that list
//     the same, as labels are;
//   - strings of one document (names, display names, e-mail addresses) are
//     copied side by side into chunks instead of one allocation each.
type interner struct {
	lists     map[string][]string
	labelSets map[string]map[string]string // in front of the global labelSets
	arena     []byte                       // the current chunk: strings are appended, never changed
	key       []byte                       // scratch space for list and label keys
}

// Bounds on the maps (full, they take nothing more: what many documents
// repeat is in them by then) and the chunk size.
const (
	internMax  = 1 << 16
	arenaChunk = 4 << 10
)

// interners serve decoding outside a load's workers (DecodeFile).
var interners = sync.Pool{New: func() any { return newInterner() }}

func newInterner() *interner {
	return &interner{lists: map[string][]string{}, labelSets: map[string]map[string]string{}}
}

// shared returns s interned: from the table of the loads in progress, else
// (decoding outside a load) from package unique.
func (in *interner) shared(s string) string {
	if s == "" {
		return ""
	}
	v, ok := loadStrings.intern(s)
	if !ok {
		v = unique.Make(s).Value()
	}
	return v
}

// loadStrings interns strings for the loads in progress, and is dropped
// when the last of them ends. Names that a few documents repeat (coaches,
// managers) are most of what is interned; package unique would keep an
// entry of several times a short name's size for each of them for as long
// as the name lives, and its lookups cost a tenth of loading's time.
var loadStrings internTable

// internShards is how many parts loadStrings is split into, each behind
// its own lock: enough that the load's workers seldom want the same one at
// once.
const internShards = 64

// internTable is a string table shared by concurrent loads. It is the only
// table of interned strings during a load: the workers have none of their
// own, which at 100,000 people would hold most of its 60,000 strings again
// (about 4 MB while the org is loaded, issue 18).
type internTable struct {
	mu     sync.Mutex // guards loads, and shards being set and dropped
	loads  int
	shards atomic.Pointer[[internShards]internShard] // nil outside loads
}

// internSeed picks a string's shard.
var internSeed = maphash.MakeSeed()

type internShard struct {
	mu sync.Mutex
	m  map[string]string
	_  [48]byte // a shard to a cache line: the workers' locks do not share one
}

// begin marks the start of a load of about yamlBytes of YAML; end its
// end.
func (t *internTable) begin(yamlBytes int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.loads == 0 {
		// About one distinct string per 500 bytes of YAML (510 in
		// cmd/orggen's orgs): sized once, the shards are not rebuilt as
		// they grow, and a smaller org's are no larger than it needs.
		per := int(min(max(yamlBytes/500, 1<<10), 1<<22) / internShards)
		shards := new([internShards]internShard)
		for i := range shards {
			shards[i].m = make(map[string]string, per)
		}
		t.shards.Store(shards)
	}
	t.loads++
}

func (t *internTable) end() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.loads--; t.loads == 0 {
		t.shards.Store(nil)
	}
}

// intern returns s interned, or false when no load is in progress.
func (t *internTable) intern(s string) (string, bool) {
	shards := t.shards.Load()
	if shards == nil {
		return "", false
	}
	sh := &shards[maphash.String(internSeed, s)%internShards]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	v, ok := sh.m[s]
	if !ok {
		v = strings.Clone(s)
		sh.m[v] = v
	}
	return v, true
}

// keep returns a copy of s that does not share memory with s (s may point
// into a file's buffer, which is reused).
func (in *interner) keep(s string) string {
	if len(s) > arenaChunk/8 {
		return strings.Clone(s)
	}
	if s == "" {
		return ""
	}
	if cap(in.arena)-len(in.arena) < len(s) {
		in.arena = make([]byte, 0, arenaChunk)
	}
	start := len(in.arena)
	in.arena = append(in.arena, s...)
	return unsafe.String(&in.arena[start], len(s))
}

// list is nodeStrs: the string items of a sequence node, interned, as a
// slice shared with every other document that lists the same items in the
// same order (readers must not modify it). A sequence that is present but
// empty gives an empty slice, not nil.
func (in *interner) list(n *yaml.Node) []string {
	if n.Kind != yaml.SequenceNode {
		return nil
	}
	in.key = in.key[:0]
	for _, x := range n.Content {
		if x.Kind == yaml.ScalarNode && scalarString(x) {
			in.key = append(in.key, x.Value...)
			in.key = append(in.key, 0)
		}
	}
	if l, ok := in.lists[string(in.key)]; ok && len(l) > 0 {
		return l
	}
	out := make([]string, 0, len(n.Content))
	for _, x := range n.Content {
		if x.Kind == yaml.ScalarNode && scalarString(x) {
			out = append(out, in.shared(x.Value))
		}
	}
	if len(out) == 0 {
		return out // not shared: empty slices are not worth a lookup
	}
	if len(in.lists) < internMax {
		in.lists[string(in.key)] = out
	}
	return out
}
