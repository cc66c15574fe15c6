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

// person returns s, a reference to a person that few documents repeat
// (a coach, a mentor, a past pairing): shared, unless the loads in
// progress are large (see internLarge), then copied.
func (in *interner) person(s string) string {
	if loadStrings.large.Load() {
		return in.keep(s)
	}
	return in.shared(s)
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
	large  atomic.Bool                               // see internLarge
}

// internLarge is the YAML (about 200,000 people) from which the loads
// that share the table copy the names of coaches, mentors and past
// pairings instead of interning them. Interning a name that a few
// documents repeat, read at random across the org, saves a few copies of
// it; while the table fits in the cache that is cheap, but it does not
// for long: at 100,000 people (32 MB of YAML, 62,000 strings) interning
// costs 0.06 CPU s, at a million (320 MB, 618,000 strings) 1.35 to 1.65,
// 24 times as much, each lookup of such a name waiting on memory twice
// (the table, the string). Copied, a million people keep 138,000 strings
// in the table and decode in 1.1 CPU s less (the table shrinks by about
// what the copies take; issue 18).
const internLarge = 64 << 20

// internBytesPer is how many bytes of YAML there are per distinct string
// interned: about 500 (510 in cmd/orggen's orgs), 2,300 in a large load.
func internBytesPer(large bool) int64 {
	if large {
		return 2000
	}
	return 500
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
		// Sized once (see internBytesPer), the shards are not rebuilt
		// as they grow, and a smaller org's are no larger than it needs.
		large := yamlBytes >= internLarge
		t.large.Store(large)
		per := int(min(max(yamlBytes/internBytesPer(large), 1<<10), 1<<22) / internShards)
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
		t.large.Store(false)
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
