/* toolkit._native: small text kernels for validation, in C. No business rule lives here.

   Every rule of the record format (reference kinds, redirects, evidence, voice and
   attribution, dates, identification) is Python only, in toolkit/checks.py. This module
   holds only kernels whose contract speaks of text, bytes and parsed JSON, never of
   articles; each has a short Python twin that is the reference, and tests hold the two to
   the same results (tests/test_native.py; the whole validation suite also runs with this
   module turned off: STRATLAS_NATIVE=0).

   straighten_collapse(text) -> str
       Typographic quotes (U+2018-U+201F) made straight, every run of white space (what
       str.isspace says; U+00A0 included) one space.
       Twin: toolkit.text.quotes._collapse(_straighten(text)).
   NameTable(keys, entries=()).find(text) -> list[int]
       The indices of the keys (words, \w+, joined by single spaces) that occur in text as
       whole words, each once, in the order of their first occurrence.
   NameTable(keys, entries).best(text) -> ({owner: (rank, name)}, list[int])
       For the keys found, each owner's least (rank, name) among their entries; and `find`.
       Twin: the Aho-Corasick automaton in toolkit.text.names.NameIndex (native=False).
   count_each(text, needles) -> list[int]
       For each needle, how many times it occurs in text, overlapping occurrences included
       (the hits of text.find(needle, i) for i = 0, then each hit + 1).
       Twin: toolkit.text.needles._count_each.
   locate_each(text, needles) -> (list[int], list[int], list[int])
       The counts of count_each; where each needle first occurs (-1: nowhere), from the same
       pass; and at that occurrence, whether it starts (1) and whether it ends (2) inside a
       word (\w on both sides of the edge), or 0: a caller that needs a unique quote's place
       and edges does not search for it again, nor look at each in Python.
       Twin: toolkit.text.needles._locate_each.
   json_facts(raw, data, prefixes) -> (unique_keys, has_floats, has_placeholders) | None
       Of JSON text `raw` that orjson parsed into `data`: whether no object repeats a key
       (the key colons outside strings = the keys of `data`), whether a number has a
       fraction or an exponent, whether a string value starts with one of `prefixes`.
       Twin: the byte counts of toolkit.load.json._trusted_parse (native=False).

   The build is optional (pyproject.toml): without a C compiler the twins run. `make
   native-sanitize` builds this file with AddressSanitizer and UBSan and runs the kernels'
   property tests against that build. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* Reading character i of a str whose kind and data are in scope: the hot loops are written
   once as macros and expanded twice, for one-byte text read directly (the common case,
   several times faster) and for any kind. */
#define READ_BYTE(i) ((const Py_UCS1 *)data)[i]
#define READ_ANY(i) PyUnicode_READ(kind, data, i)

/* For the first 256 code points, filled when the module loads: what \w matches (str.isalnum
   or "_"), and what str.isspace says. */
static unsigned char WORD_TABLE[256], SPACE_TABLE[256];

/* ---- names ------------------------------------------------------------------------------ */

typedef struct {
    uint64_t hash;
    Py_ssize_t key; /* index into keys, -1 for an empty slot */
} NameSlot;

typedef struct {
    PyObject_HEAD
    PyObject *keys;    /* tuple of str (owned) */
    PyObject *entries; /* tuple, per key: tuple of (owner, (rank, name)) (owned) */
    NameSlot *slots;
    Py_ssize_t size;
    /* Hashes of the keys' shorter word prefixes ("New", "New York" of "New York City"):
       a phrase is extended only while some key starts with it. */
    uint64_t *prefixes;
    unsigned char *prefix_used;
    Py_ssize_t prefix_size;
} NameTable;

#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

static inline uint64_t
fnv_step(uint64_t hash, Py_UCS4 c)
{
    return (hash ^ (uint64_t)c) * FNV_PRIME;
}

static inline int
is_word(Py_UCS4 c)
{
    /* What the regex \w matches (and toolkit.text.quotes.is_word tests). */
    return c < 256 ? WORD_TABLE[c] : Py_UNICODE_ISALNUM(c);
}

static void
add_prefix(NameTable *self, uint64_t hash)
{
    Py_ssize_t slot = (Py_ssize_t)(hash & (uint64_t)(self->prefix_size - 1));
    while (self->prefix_used[slot]) {
        if (self->prefixes[slot] == hash)
            return;
        slot = (slot + 1) & (self->prefix_size - 1);
    }
    self->prefix_used[slot] = 1;
    self->prefixes[slot] = hash;
}

static int
is_prefix(NameTable *self, uint64_t hash)
{
    Py_ssize_t slot = (Py_ssize_t)(hash & (uint64_t)(self->prefix_size - 1));
    while (self->prefix_used[slot]) {
        if (self->prefixes[slot] == hash)
            return 1;
        slot = (slot + 1) & (self->prefix_size - 1);
    }
    return 0;
}

static void
names_dealloc(NameTable *self)
{
    Py_XDECREF(self->keys);
    Py_XDECREF(self->entries);
    PyMem_Free(self->slots);
    PyMem_Free(self->prefixes);
    PyMem_Free(self->prefix_used);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* NameTable(keys, entries=()): keys are words (\w+) joined by single spaces; entries,
   for `best`, gives per key the (owner, (rank, name)) pairs it stands for. */
static int
names_init(NameTable *self, PyObject *args, PyObject *kwds)
{
    PyObject *keys, *entries = NULL;
    static char *keywords[] = {"keys", "entries", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|O", keywords, &keys, &entries))
        return -1;
    if (self->keys != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "NameTable is already initialised");
        return -1;
    }
    self->keys = PySequence_Tuple(keys);
    if (self->keys == NULL)
        return -1;
    Py_ssize_t nkeys = PyTuple_GET_SIZE(self->keys);
    PyObject *given = entries != NULL ? PySequence_Tuple(entries) : PyTuple_New(0);
    if (given == NULL)
        return -1;
    Py_ssize_t nentries = PyTuple_GET_SIZE(given);
    if (nentries != 0 && nentries != nkeys) {
        Py_DECREF(given);
        PyErr_SetString(PyExc_ValueError, "entries must have one item per key");
        return -1;
    }
    self->entries = PyTuple_New(nentries);
    if (self->entries == NULL) {
        Py_DECREF(given);
        return -1;
    }
    for (Py_ssize_t k = 0; k < nentries; k++) {
        PyObject *of_key = PySequence_Tuple(PyTuple_GET_ITEM(given, k));
        if (of_key == NULL) {
            Py_DECREF(given);
            return -1;
        }
        PyTuple_SET_ITEM(self->entries, k, of_key); /* a new tuple: the reference is ours */
        for (Py_ssize_t e = 0; e < PyTuple_GET_SIZE(of_key); e++) {
            PyObject *entry = PyTuple_GET_ITEM(of_key, e);
            if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 2
                || !PyUnicode_Check(PyTuple_GET_ITEM(entry, 0))
                || !PyTuple_Check(PyTuple_GET_ITEM(entry, 1))) {
                Py_DECREF(given);
                PyErr_SetString(PyExc_TypeError, "an entry is (owner: str, (rank, name))");
                return -1;
            }
        }
    }
    Py_DECREF(given);
    Py_ssize_t size = 16;
    while (size < nkeys * 2)
        size *= 2;
    Py_ssize_t words_in_keys = 0;
    for (Py_ssize_t k = 0; k < nkeys; k++) {
        PyObject *key = PyTuple_GET_ITEM(self->keys, k);
        if (!PyUnicode_Check(key) || PyUnicode_GET_LENGTH(key) == 0) {
            PyErr_SetString(PyExc_ValueError, "keys are non-empty str");
            return -1;
        }
        words_in_keys += PyUnicode_GET_LENGTH(key);
    }
    Py_ssize_t prefix_size = 16;
    while (prefix_size < words_in_keys * 2)
        prefix_size *= 2;
    self->slots = PyMem_Malloc(size * sizeof(NameSlot));
    self->prefixes = PyMem_Malloc(prefix_size * sizeof(uint64_t));
    self->prefix_used = PyMem_Calloc(prefix_size, 1);
    if (self->slots == NULL || self->prefixes == NULL || self->prefix_used == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    self->size = size;
    self->prefix_size = prefix_size;
    for (Py_ssize_t i = 0; i < size; i++)
        self->slots[i].key = -1;
    for (Py_ssize_t k = 0; k < nkeys; k++) {
        PyObject *key = PyTuple_GET_ITEM(self->keys, k);
        int kind = PyUnicode_KIND(key);
        const void *data = PyUnicode_DATA(key);
        Py_ssize_t length = PyUnicode_GET_LENGTH(key);
        uint64_t hash = FNV_OFFSET;
        for (Py_ssize_t i = 0; i < length; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            int space = c == ' ';
            int first_or_last = i == 0 || i == length - 1;
            if (space ? (first_or_last || PyUnicode_READ(kind, data, i - 1) == ' ') : !is_word(c)) {
                PyErr_Format(PyExc_ValueError, "%R is not words joined by single spaces", key);
                return -1;
            }
            if (space)
                add_prefix(self, hash); /* the words before this space */
            hash = fnv_step(hash, c);
        }
        Py_ssize_t slot = (Py_ssize_t)(hash & (uint64_t)(size - 1));
        while (self->slots[slot].key != -1)
            slot = (slot + 1) & (size - 1);
        self->slots[slot].hash = hash;
        self->slots[slot].key = k;
    }
    return 0;
}

static int
same_text(PyObject *key, int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    if (PyUnicode_GET_LENGTH(key) != end - start)
        return 0;
    int key_kind = PyUnicode_KIND(key);
    const void *key_data = PyUnicode_DATA(key);
    for (Py_ssize_t i = 0; i < end - start; i++) {
        if (PyUnicode_READ(key_kind, key_data, i) != PyUnicode_READ(kind, data, start + i))
            return 0;
    }
    return 1;
}

/* find(text) -> list of the indices of the keys that occur in text as whole words, each
   once, in the order of their first occurrence. */
static PyObject *
names_find(NameTable *self, PyObject *text)
{
    if (self->keys == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "NameTable is not initialised");
        return NULL;
    }
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "text must be a str");
        return NULL;
    }
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t nkeys = PyTuple_GET_SIZE(self->keys);
    unsigned char *seen = PyMem_Calloc(nkeys ? nkeys : 1, 1);
    PyObject *found = PyList_New(0);
    if (seen == NULL || found == NULL) {
        PyMem_Free(seen);
        Py_XDECREF(found);
        return seen == NULL ? PyErr_NoMemory() : NULL;
    }
    /* The scan twice: one-byte text (the common case) read directly, and any other kind. */
#define SCAN(READ)                                                                        \
    Py_ssize_t at = 0;                                                                   \
    while (at < length) {                                                                \
        if (!is_word(READ(at))) {                                                        \
            at++;                                                                        \
            continue;                                                                    \
        }                                                                                \
        /* A word starts here: try it and the words that follow it after single spaces. */ \
        Py_ssize_t word_start = at, end = at, words = 0;                                 \
        uint64_t hash = FNV_OFFSET;                                                      \
        Py_ssize_t first_end = -1;                                                       \
        while (words == 0 || is_prefix(self, hash)) {                                    \
            if (words > 0) {                                                             \
                /* One space, then a word character, continues the phrase. */            \
                if (end + 1 >= length || READ(end) != ' ' || !is_word(READ(end + 1)))    \
                    break;                                                               \
                hash = fnv_step(hash, ' ');                                              \
                end++;                                                                   \
            }                                                                            \
            while (end < length) {                                                       \
                Py_UCS4 c = READ(end);                                                   \
                if (!is_word(c))                                                         \
                    break;                                                               \
                hash = fnv_step(hash, c);                                                \
                end++;                                                                   \
            }                                                                            \
            if (first_end == -1)                                                         \
                first_end = end;                                                         \
            words++;                                                                     \
            Py_ssize_t slot = (Py_ssize_t)(hash & (uint64_t)(self->size - 1));           \
            while (self->slots[slot].key != -1) {                                        \
                NameSlot *entry = &self->slots[slot];                                    \
                if (entry->hash == hash && !seen[entry->key]                             \
                    && same_text(PyTuple_GET_ITEM(self->keys, entry->key), kind, data,   \
                                 word_start, end)) {                                     \
                    seen[entry->key] = 1;                                                \
                    PyObject *index = PyLong_FromSsize_t(entry->key);                    \
                    if (index == NULL || PyList_Append(found, index) < 0) {              \
                        Py_XDECREF(index);                                               \
                        Py_DECREF(found);                                                \
                        PyMem_Free(seen);                                                \
                        return NULL;                                                     \
                    }                                                                    \
                    Py_DECREF(index);                                                    \
                }                                                                        \
                slot = (slot + 1) & (self->size - 1);                                    \
            }                                                                            \
        }                                                                                \
        at = first_end;                                                                  \
    }
    if (kind == PyUnicode_1BYTE_KIND) {
        SCAN(READ_BYTE)
    }
    else {
        SCAN(READ_ANY)
    }
#undef SCAN
    PyMem_Free(seen);
    return found;
}

/* best(text) -> ({owner: (rank, name)}, keys): for each owner of an entry of a key found
   in text, its least (rank, name); and the indices of the keys found (as `find`). */
static PyObject *
names_best(NameTable *self, PyObject *text)
{
    PyObject *keys = names_find(self, text);
    if (keys == NULL)
        return NULL;
    PyObject *best = PyDict_New();
    if (best == NULL) {
        Py_DECREF(keys);
        return NULL;
    }
    Py_ssize_t nentries = PyTuple_GET_SIZE(self->entries);
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(keys) && nentries; i++) {
        Py_ssize_t key = PyLong_AsSsize_t(PyList_GET_ITEM(keys, i));
        PyObject *of_key = PyTuple_GET_ITEM(self->entries, key);
        for (Py_ssize_t e = 0; e < PyTuple_GET_SIZE(of_key); e++) {
            PyObject *owner = PyTuple_GET_ITEM(PyTuple_GET_ITEM(of_key, e), 0);
            PyObject *choice = PyTuple_GET_ITEM(PyTuple_GET_ITEM(of_key, e), 1);
            PyObject *current = PyDict_GetItemWithError(best, owner);
            int better = 1;
            if (current != NULL)
                better = PyObject_RichCompareBool(choice, current, Py_LT);
            else if (PyErr_Occurred())
                better = -1;
            if (better < 0 || (better && PyDict_SetItem(best, owner, choice) < 0)) {
                Py_DECREF(keys);
                Py_DECREF(best);
                return NULL;
            }
        }
    }
    return Py_BuildValue("(NN)", best, keys);
}

static PyMethodDef names_methods[] = {
    {"find", (PyCFunction)names_find, METH_O, "find(text) -> indices of the keys found"},
    {"best", (PyCFunction)names_best, METH_O,
     "best(text) -> ({owner: least (rank, name)}, indices of the keys found)"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject NameTableType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "toolkit._native.NameTable",
    .tp_basicsize = sizeof(NameTable),
    .tp_dealloc = (destructor)names_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Which names occur as whole words in a text.",
    .tp_methods = names_methods,
    .tp_init = (initproc)names_init,
    .tp_new = PyType_GenericNew,
};

/* ---- counting ----------------------------------------------------------------------------- */

/* count_each(text, needles) -> list[int]: for each needle, how many times it occurs in text,
   overlapping occurrences included (the hits of text.find(needle, i) for i = 0, then each
   hit + 1; an empty needle occurs len(text) + 1 times). Twin: toolkit.text.needles. Needles
   shorter than WINDOW: the library's search from each hit; longer ones: one rolling-hash
   pass over the text for all of them, keyed by their first WINDOW code points. */

#define WINDOW 8
#define BASE 1000003ULL

/* Whether needle occurs in text at `at` (the caller checked that it fits). */
static int
needle_at(int kind, const void *data, Py_ssize_t at, PyObject *needle)
{
    Py_ssize_t length = PyUnicode_GET_LENGTH(needle);
    int needle_kind = PyUnicode_KIND(needle);
    const void *needle_data = PyUnicode_DATA(needle);
    if (needle_kind == kind)
        return memcmp((const char *)data + at * kind, needle_data, (size_t)(length * kind)) == 0;
    for (Py_ssize_t i = 0; i < length; i++) {
        if (PyUnicode_READ(kind, data, at + i) != PyUnicode_READ(needle_kind, needle_data, i))
            return 0;
    }
    return 1;
}

/* Counts of the needles of at least WINDOW code points (the others are skipped), added to
   counts, and where each first occurs set in firsts (when not NULL; the caller fills it
   with -1); 0, or -1 with MemoryError set. */
static int
count_long(PyObject *text, PyObject **needles, Py_ssize_t nneedles, Py_ssize_t nlong,
           Py_ssize_t *counts, Py_ssize_t *firsts)
{
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (nlong == 0 || length < WINDOW)
        return 0;
    Py_ssize_t size = 16;
    while (size < nlong * 4)
        size *= 2;
    Py_ssize_t *heads = PyMem_Malloc(size * sizeof(Py_ssize_t));
    Py_ssize_t *next = PyMem_Malloc(nneedles * sizeof(Py_ssize_t));
    uint64_t *hashes = PyMem_Malloc(nneedles * sizeof(uint64_t));
    if (heads == NULL || next == NULL || hashes == NULL) {
        PyMem_Free(heads);
        PyMem_Free(next);
        PyMem_Free(hashes);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < size; i++)
        heads[i] = -1;
    for (Py_ssize_t q = 0; q < nneedles; q++) {
        PyObject *needle = needles[q];
        if (PyUnicode_GET_LENGTH(needle) < WINDOW || PyUnicode_GET_LENGTH(needle) > length)
            continue;
        int needle_kind = PyUnicode_KIND(needle);
        const void *needle_data = PyUnicode_DATA(needle);
        uint64_t hash = 0;
        for (Py_ssize_t i = 0; i < WINDOW; i++)
            hash = hash * BASE + PyUnicode_READ(needle_kind, needle_data, i);
        hashes[q] = hash;
        Py_ssize_t slot = (Py_ssize_t)((hash ^ (hash >> 29)) & (uint64_t)(size - 1));
        next[q] = heads[slot];
        heads[slot] = q;
    }
    uint64_t top = 1; /* BASE^(WINDOW-1) */
    for (int i = 1; i < WINDOW; i++)
        top *= BASE;
    uint64_t hash = 0;
    for (Py_ssize_t i = 0; i < WINDOW; i++)
        hash = hash * BASE + PyUnicode_READ(kind, data, i);
    /* The loop twice: one-byte text (an ASCII or Latin-1 text, the common case) read
       directly is several times faster than through PyUnicode_READ. */
#define ROLL(READ)                                                                         \
    for (Py_ssize_t at = 0; at + WINDOW <= length; at++) {                                 \
        if (at > 0)                                                                        \
            hash = (hash - top * READ(at - 1)) * BASE + READ(at + WINDOW - 1);             \
        Py_ssize_t slot = (Py_ssize_t)((hash ^ (hash >> 29)) & (uint64_t)(size - 1));      \
        for (Py_ssize_t q = heads[slot]; q != -1; q = next[q]) {                           \
            if (hashes[q] == hash && at + PyUnicode_GET_LENGTH(needles[q]) <= length       \
                && needle_at(kind, data, at, needles[q])) {                                \
                if (firsts != NULL && counts[q] == 0)                                      \
                    firsts[q] = at;                                                        \
                counts[q]++;                                                               \
            }                                                                              \
        }                                                                                  \
    }
    if (kind == PyUnicode_1BYTE_KIND) {
        ROLL(READ_BYTE)
    }
    else {
        ROLL(READ_ANY)
    }
#undef ROLL
    PyMem_Free(heads);
    PyMem_Free(next);
    PyMem_Free(hashes);
    return 0;
}

/* A list of n Py_ssize_t as Python ints, or NULL with an exception set. */
static PyObject *
int_list(const Py_ssize_t *values, Py_ssize_t n)
{
    PyObject *result = PyList_New(n);
    if (result == NULL)
        return NULL;
    for (Py_ssize_t q = 0; q < n; q++) {
        PyObject *value = PyLong_FromSsize_t(values[q]);
        if (value == NULL) {
            Py_DECREF(result);
            return NULL;
        }
        PyList_SET_ITEM(result, q, value);
    }
    return result;
}

/* count_each, and with `locate` locate_each. */
static PyObject *
tally(PyObject *args, int locate)
{
    PyObject *text, *given;
    if (!PyArg_ParseTuple(args, "UO", &text, &given))
        return NULL;
    PyObject *sequence = PySequence_Fast(given, "needles must be a sequence of str");
    if (sequence == NULL)
        return NULL;
    Py_ssize_t nneedles = PySequence_Fast_GET_SIZE(sequence);
    PyObject **needles = PySequence_Fast_ITEMS(sequence);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    Py_ssize_t *counts = PyMem_Calloc(nneedles ? nneedles : 1, sizeof(Py_ssize_t));
    Py_ssize_t *firsts = locate ? PyMem_Malloc((nneedles ? nneedles : 1) * sizeof(Py_ssize_t))
                                : NULL;
    if (counts == NULL || (locate && firsts == NULL)) {
        PyMem_Free(counts);
        PyMem_Free(firsts);
        Py_DECREF(sequence);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t q = 0; locate && q < nneedles; q++)
        firsts[q] = -1;
    PyObject *result = NULL;
    Py_ssize_t nlong = 0;
    for (Py_ssize_t q = 0; q < nneedles; q++) {
        PyObject *needle = needles[q];
        if (!PyUnicode_Check(needle)) {
            PyErr_SetString(PyExc_TypeError, "needles must be a sequence of str");
            goto done;
        }
        Py_ssize_t nlength = PyUnicode_GET_LENGTH(needle);
        if (nlength == 0) {
            counts[q] = length + 1;
            if (locate)
                firsts[q] = 0;
            continue;
        }
        if (nlength >= WINDOW) {
            nlong++;
            continue;
        }
        Py_ssize_t hit = PyUnicode_Find(text, needle, 0, length, 1);
        if (locate && hit >= 0)
            firsts[q] = hit;
        while (hit >= 0) {
            counts[q]++;
            hit = hit + 1 < length ? PyUnicode_Find(text, needle, hit + 1, length, 1) : -1;
        }
        if (hit < -1)
            goto done;
    }
    if (count_long(text, needles, nneedles, nlong, counts, firsts) < 0)
        goto done;
    result = int_list(counts, nneedles);
    if (result != NULL && locate) {
        PyObject *where = int_list(firsts, nneedles);
        /* The edges, in the counts' memory (no longer needed once listed). */
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        for (Py_ssize_t q = 0; q < nneedles; q++) {
            Py_ssize_t at = firsts[q], end = at + PyUnicode_GET_LENGTH(needles[q]);
            int edges = 0;
            if (at >= 0 && end > at) {
                if (at > 0 && is_word(PyUnicode_READ(kind, data, at))
                    && is_word(PyUnicode_READ(kind, data, at - 1)))
                    edges |= 1;
                if (end < length && is_word(PyUnicode_READ(kind, data, end - 1))
                    && is_word(PyUnicode_READ(kind, data, end)))
                    edges |= 2;
            }
            counts[q] = edges;
        }
        PyObject *cut = where != NULL ? int_list(counts, nneedles) : NULL;
        PyObject *triple = cut != NULL ? PyTuple_Pack(3, result, where, cut) : NULL;
        Py_XDECREF(where);
        Py_XDECREF(cut);
        Py_SETREF(result, triple);
    }
done:
    PyMem_Free(counts);
    PyMem_Free(firsts);
    Py_DECREF(sequence);
    return result;
}

static PyObject *
count_each(PyObject *module, PyObject *args)
{
    return tally(args, 0);
}

static PyObject *
locate_each(PyObject *module, PyObject *args)
{
    return tally(args, 1);
}

/* ---- loading ------------------------------------------------------------------------------ */

typedef struct {
    Py_ssize_t keys;
    int has_floats;
    int has_placeholders;
    int too_deep;
    PyObject *prefixes; /* tuple of str */
} DataFacts;

static int
starts_with_placeholder(PyObject *text, PyObject *prefixes)
{
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(prefixes); i++) {
        PyObject *prefix = PyTuple_GET_ITEM(prefixes, i);
        if (PyUnicode_GET_LENGTH(prefix) == 0)
            return 1;
        if (length == 0 || PyUnicode_READ_CHAR(prefix, 0) != PyUnicode_READ_CHAR(text, 0))
            continue; /* the common case, decided without a call */
        Py_ssize_t found = PyUnicode_Tailmatch(text, prefix, 0, PY_SSIZE_T_MAX, -1);
        if (found != 0)
            return (int)found; /* 1, or -1 on error */
    }
    return 0;
}

static int
data_facts(PyObject *node, DataFacts *facts, int depth)
{
    if (depth > 2000) {
        facts->too_deep = 1;
        return 0;
    }
    if (PyDict_Check(node)) {
        facts->keys += PyDict_GET_SIZE(node);
        PyObject *key, *value;
        Py_ssize_t position = 0;
        while (PyDict_Next(node, &position, &key, &value)) {
            if (data_facts(value, facts, depth + 1) < 0)
                return -1;
        }
    }
    else if (PyList_Check(node)) {
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(node); i++) {
            if (data_facts(PyList_GET_ITEM(node, i), facts, depth + 1) < 0)
                return -1;
        }
    }
    else if (PyUnicode_Check(node)) {
        if (!facts->has_placeholders) {
            int found = starts_with_placeholder(node, facts->prefixes);
            if (found < 0)
                return -1;
            facts->has_placeholders = found;
        }
    }
    else if (PyFloat_Check(node)) {
        facts->has_floats = 1;
    }
    return 0;
}

/* The number of colons outside strings in JSON text: one per key written. Strings, most of
   the text, are skipped with memchr (vectorised in the C library). */
static Py_ssize_t
key_colons(const char *text, Py_ssize_t length)
{
    Py_ssize_t colons = 0;
    const char *at = text, *end = text + length;
    while (at < end) {
        const char *quote = memchr(at, '"', end - at);
        const char *stop = quote ? quote : end;
        for (; at < stop; at++)
            colons += *at == ':';
        if (quote == NULL)
            break;
        /* The closing quote: the next one not escaped by an odd run of backslashes. */
        at = quote + 1;
        for (;;) {
            const char *close = memchr(at, '"', end - at);
            if (close == NULL)
                return colons; /* unterminated: not JSON that orjson parsed */
            const char *back = close;
            while (back > at && back[-1] == '\\')
                back--;
            at = close + 1;
            if ((close - back) % 2 == 0)
                break;
        }
    }
    return colons;
}

/* json_facts(raw, data, prefixes) -> (unique_keys, has_floats, has_placeholders) or None
   raw: the JSON text that orjson parsed into data. unique_keys: no object of the text
   repeats a key (orjson keeps the last silently; then the text has more key colons than
   data has keys). has_floats: a number was written with a fraction or exponent.
   has_placeholders: a string value starts with one of prefixes. None: too deep to say. */
static PyObject *
json_facts(PyObject *module, PyObject *args)
{
    Py_buffer raw;
    PyObject *data, *prefixes;
    if (!PyArg_ParseTuple(args, "y*OO!", &raw, &data, &PyTuple_Type, &prefixes))
        return NULL;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(prefixes); i++) {
        if (!PyUnicode_Check(PyTuple_GET_ITEM(prefixes, i))) {
            PyBuffer_Release(&raw);
            PyErr_SetString(PyExc_TypeError, "prefixes are str");
            return NULL;
        }
    }
    DataFacts facts = {0};
    facts.prefixes = prefixes;
    Py_ssize_t colons = key_colons(raw.buf, raw.len);
    PyBuffer_Release(&raw);
    if (data_facts(data, &facts, 0) < 0)
        return NULL;
    if (facts.too_deep)
        Py_RETURN_NONE;
    return Py_BuildValue("(OOO)", colons == facts.keys ? Py_True : Py_False,
                         facts.has_floats ? Py_True : Py_False,
                         facts.has_placeholders ? Py_True : Py_False);
}

/* straighten_collapse(text) -> str: toolkit.text.quotes._collapse(_straighten(text)): typographic
   quotes made straight, no-break spaces plain, each run of white space one space. */
static inline Py_UCS4
straight(Py_UCS4 c)
{
    if (c - 0x2018 < 8) /* ‘ ’ ‚ ‛ “ ” „ ‟ */
        return c < 0x201c ? '\'' : '"';
    return c;
}

static inline int
is_space(Py_UCS4 c)
{
    return c < 256 ? SPACE_TABLE[c] : Py_UNICODE_ISSPACE(c);
}

static PyObject *
straighten_collapse(PyObject *module, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "text must be a str");
        return NULL;
    }
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    /* Two passes: the length and the largest character of the result, then the result
       written in its own (smallest) kind, as Python requires of every str. */
    Py_ssize_t written = 0;
    Py_UCS4 largest = 0;
    int in_space = 0;
#define MEASURE(READ)                                                                     \
    for (Py_ssize_t i = 0; i < length; i++) {                                            \
        Py_UCS4 c = straight(READ(i));                                                   \
        int space = is_space(c);                                                         \
        written += !(space & in_space); /* without branches: spaces come irregularly */   \
        in_space = space;                                                                \
        Py_UCS4 kept = space ? 0 : c;                                                    \
        largest = kept > largest ? kept : largest;                                       \
    }
    if (kind == PyUnicode_1BYTE_KIND) {
        MEASURE(READ_BYTE)
    }
    else {
        MEASURE(READ_ANY)
    }
#undef MEASURE
    PyObject *result = PyUnicode_New(written, largest > ' ' ? largest : ' ');
    if (result == NULL)
        return NULL;
    int out_kind = PyUnicode_KIND(result);
    void *out = PyUnicode_DATA(result);
    Py_ssize_t at = 0;
    in_space = 0;
#define WRITE(READ, PUT)                                                                  \
    for (Py_ssize_t i = 0; i < length; i++) {                                            \
        Py_UCS4 c = straight(READ(i));                                                   \
        int space = is_space(c);                                                         \
        if (!(space & in_space))                                                         \
            PUT(space ? ' ' : c);                                                        \
        in_space = space;                                                                \
    }
#define PUT_BYTE(c) ((Py_UCS1 *)out)[at++] = (Py_UCS1)(c)
#define PUT_ANY(c) PyUnicode_WRITE(out_kind, out, at++, c)
    if (kind == PyUnicode_1BYTE_KIND && out_kind == PyUnicode_1BYTE_KIND) {
        WRITE(READ_BYTE, PUT_BYTE)
    }
    else if (out_kind == PyUnicode_1BYTE_KIND) {
        WRITE(READ_ANY, PUT_BYTE)
    }
    else {
        WRITE(READ_ANY, PUT_ANY)
    }
#undef WRITE
#undef PUT_BYTE
#undef PUT_ANY
    return result;
}

static PyMethodDef module_methods[] = {
    {"count_each", (PyCFunction)count_each, METH_VARARGS,
     "count_each(text, needles) -> occurrences of each needle in text, overlapping ones too"},
    {"locate_each", (PyCFunction)locate_each, METH_VARARGS,
     "locate_each(text, needles) -> (counts, first occurrences, edges inside a word)"},
    {"json_facts", (PyCFunction)json_facts, METH_VARARGS,
     "json_facts(raw, data, prefixes) -> (unique_keys, has_floats, has_placeholders) | None"},
    {"straighten_collapse", (PyCFunction)straighten_collapse, METH_O,
     "straighten_collapse(text) -> text with straight quotes and single spaces"},
    {NULL, NULL, 0, NULL},
};

/* ---- module ------------------------------------------------------------------------------ */

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "toolkit._native",
    .m_doc = "Small text kernels in C, each with a Python twin (see toolkit/_native.c).",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__native(void)
{
    for (Py_UCS4 c = 0; c < 256; c++) {
        WORD_TABLE[c] = Py_UNICODE_ISALNUM(c) || c == '_';
        SPACE_TABLE[c] = Py_UNICODE_ISSPACE(c) ? 1 : 0;
    }
    if (PyType_Ready(&NameTableType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&NameTableType);
    if (PyModule_AddObject(m, "NameTable", (PyObject *)&NameTableType) < 0) {
        Py_DECREF(&NameTableType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
