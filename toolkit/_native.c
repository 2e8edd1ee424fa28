/* toolkit._native: the hot loops of validation, in C.

   Both types answer one question conservatively: "is there nothing to report here?". When
   they say no, or meet anything unexpected, the Python checks (toolkit/checks.py, the
   reference) run as before and say what is wrong and where; so a record that passes here
   gets exactly the findings it would get without this module: none. Tests hold the two to
   the same verdicts (tests/test_native.py).

   ArticleScan walks a schema-valid article once and reports
     - its entity references (the ARTICLE_REFERENCES table of toolkit/refs.py), checked
       against the valid entities' kinds and the redirects;
     - the objects the evidence and date checks look at (the walk plan of toolkit/shape.py):
       bare quotes that must occur exactly once in the source snapshot (counted for all the
       record's quotes in one pass over the snapshot), voice/attribution pairs, date
       claims, mentions whose identification needs a name look-up.
   NameTable finds which names occur as whole words in a snapshot (toolkit.quotes.NameIndex
   keys: words joined by one space). */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define NEEDS_REFERENCES 1
#define NEEDS_EVIDENCE 2
#define NEEDS_DATES 4

#define SHAPE_PROVENANCE 1
#define SHAPE_VOICED 2
#define SHAPE_MENTION 4
#define SHAPE_FACT 8
#define SHAPE_DATE_CLAIM 16
#define SHAPE_RESOLUTION 32
#define SHAPE_CHECKED 64

#define MAX_WALK_DEPTH 100

/* Reading character i of a str whose kind and data are in scope: the hot loops are written
   once as macros and expanded twice, for one-byte text read directly (the common case,
   several times faster) and for any kind. */
#define READ_BYTE(i) ((const Py_UCS1 *)data)[i]
#define READ_ANY(i) PyUnicode_READ(kind, data, i)

/* For the first 256 code points, filled when the module loads: what \w matches (str.isalnum
   or "_"), and what str.isspace says. */
static unsigned char WORD_TABLE[256], SPACE_TABLE[256];

/* ---- the article scan ------------------------------------------------------------------ */

static PyObject *straighten_collapse(PyObject *module, PyObject *text);

typedef struct {
    Py_ssize_t nparts;
    PyObject **parts; /* NULL for "*" (any list item), else a str key (owned) */
    long kinds;       /* the entity kinds this relation accepts, as a bit mask */
} RefPattern;

typedef struct {
    PyObject *key; /* owned */
    Py_ssize_t child;
    int is_list;
} ShapeChild;

typedef struct {
    long flags;
    Py_ssize_t nchildren;
    ShapeChild *children;
} ShapeSpec;

typedef struct {
    PyObject_HEAD
    Py_ssize_t npatterns;
    RefPattern *patterns;
    Py_ssize_t nshapes;
    ShapeSpec *shapes;
    PyObject *kinds;     /* dict: entity ID -> kind bit (owned) */
    PyObject *redirects; /* dict: old ID -> new ID (owned) */
    PyObject *s_evidence, *s_quote, *s_editorial, *s_status, *s_open, *s_voice,
        *s_attributed, *s_attributed_to, *s_label, *s_identification, *s_entity, *s_value;
} ArticleScan;

typedef struct {
    long needs;
    PyObject *targets;  /* set */
    PyObject *identify; /* list */
    PyObject **quotes;  /* borrowed: the record or `owned` outlives the scan */
    PyObject *owned;    /* list: quotes normalised here */
    Py_ssize_t nquotes, capacity;
    int has_snapshot;
    int failed; /* a Python error is set */
} ScanState;

static void
scan_dealloc(ArticleScan *self)
{
    for (Py_ssize_t i = 0; i < self->npatterns; i++) {
        for (Py_ssize_t j = 0; j < self->patterns[i].nparts; j++)
            Py_XDECREF(self->patterns[i].parts[j]);
        PyMem_Free(self->patterns[i].parts);
    }
    PyMem_Free(self->patterns);
    for (Py_ssize_t i = 0; i < self->nshapes; i++) {
        for (Py_ssize_t j = 0; j < self->shapes[i].nchildren; j++)
            Py_XDECREF(self->shapes[i].children[j].key);
        PyMem_Free(self->shapes[i].children);
    }
    PyMem_Free(self->shapes);
    Py_XDECREF(self->kinds);
    Py_XDECREF(self->redirects);
    Py_XDECREF(self->s_evidence);
    Py_XDECREF(self->s_quote);
    Py_XDECREF(self->s_editorial);
    Py_XDECREF(self->s_status);
    Py_XDECREF(self->s_open);
    Py_XDECREF(self->s_voice);
    Py_XDECREF(self->s_attributed);
    Py_XDECREF(self->s_attributed_to);
    Py_XDECREF(self->s_label);
    Py_XDECREF(self->s_identification);
    Py_XDECREF(self->s_entity);
    Py_XDECREF(self->s_value);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int
intern_strings(ArticleScan *self)
{
#define S(field, text) \
    if ((self->field = PyUnicode_InternFromString(text)) == NULL) return -1;
    S(s_evidence, "evidence");
    S(s_quote, "quote");
    S(s_editorial, "editorial");
    S(s_status, "status");
    S(s_open, "open");
    S(s_voice, "voice");
    S(s_attributed, "attributed");
    S(s_attributed_to, "attributed_to");
    S(s_label, "label_in_source");
    S(s_identification, "identification");
    S(s_entity, "entity");
    S(s_value, "value");
#undef S
    return 0;
}

/* ArticleScan(patterns, shapes, kinds, redirects)
   patterns: [(parts: tuple[str | None, ...], kinds_mask: int)], None meaning any list item;
   shapes: [(flags: int, children: tuple[(key: str, child: int, is_list: bool), ...])], the
   article itself being shape 0; kinds: {entity ID: kind bit}; redirects: {old ID: new ID}. */
static int
scan_init(ArticleScan *self, PyObject *args, PyObject *kwds)
{
    PyObject *patterns, *shapes, *kinds, *redirects;
    static char *keywords[] = {"patterns", "shapes", "kinds", "redirects", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!O!O!O!", keywords, &PyList_Type, &patterns,
                                     &PyList_Type, &shapes, &PyDict_Type, &kinds, &PyDict_Type,
                                     &redirects))
        return -1;
    if (self->patterns != NULL || self->shapes != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "ArticleScan is already initialised");
        return -1;
    }
    if (intern_strings(self) < 0)
        return -1;
    Py_INCREF(kinds);
    self->kinds = kinds;
    Py_INCREF(redirects);
    self->redirects = redirects;

    Py_ssize_t npatterns = PyList_GET_SIZE(patterns);
    self->patterns = PyMem_Calloc(npatterns ? npatterns : 1, sizeof(RefPattern));
    if (self->patterns == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    self->npatterns = npatterns;
    for (Py_ssize_t i = 0; i < npatterns; i++) {
        PyObject *item = PyList_GET_ITEM(patterns, i), *parts;
        long mask;
        if (!PyArg_ParseTuple(item, "O!l", &PyTuple_Type, &parts, &mask))
            return -1;
        Py_ssize_t nparts = PyTuple_GET_SIZE(parts);
        RefPattern *pattern = &self->patterns[i];
        pattern->kinds = mask;
        pattern->parts = PyMem_Calloc(nparts ? nparts : 1, sizeof(PyObject *));
        if (pattern->parts == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        pattern->nparts = nparts;
        for (Py_ssize_t j = 0; j < nparts; j++) {
            PyObject *part = PyTuple_GET_ITEM(parts, j);
            if (part == Py_None)
                continue;
            if (!PyUnicode_Check(part)) {
                PyErr_SetString(PyExc_TypeError, "pattern parts are str or None");
                return -1;
            }
            Py_INCREF(part);
            pattern->parts[j] = part;
        }
    }

    Py_ssize_t nshapes = PyList_GET_SIZE(shapes);
    if (nshapes == 0) {
        PyErr_SetString(PyExc_ValueError, "shapes must hold the article's shape first");
        return -1;
    }
    self->shapes = PyMem_Calloc(nshapes, sizeof(ShapeSpec));
    if (self->shapes == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    self->nshapes = nshapes;
    for (Py_ssize_t i = 0; i < nshapes; i++) {
        PyObject *item = PyList_GET_ITEM(shapes, i), *children;
        long flags;
        if (!PyArg_ParseTuple(item, "lO!", &flags, &PyTuple_Type, &children))
            return -1;
        ShapeSpec *shape = &self->shapes[i];
        shape->flags = flags;
        Py_ssize_t nchildren = PyTuple_GET_SIZE(children);
        shape->children = PyMem_Calloc(nchildren ? nchildren : 1, sizeof(ShapeChild));
        if (shape->children == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        shape->nchildren = nchildren;
        for (Py_ssize_t j = 0; j < nchildren; j++) {
            PyObject *key;
            Py_ssize_t child;
            int is_list;
            if (!PyArg_ParseTuple(PyTuple_GET_ITEM(children, j), "O!np", &PyUnicode_Type, &key,
                                  &child, &is_list))
                return -1;
            if (child < 0 || child >= nshapes) {
                PyErr_SetString(PyExc_ValueError, "a child shape index is out of range");
                return -1;
            }
            Py_INCREF(key);
            shape->children[j].key = key;
            shape->children[j].child = child;
            shape->children[j].is_list = is_list;
        }
    }
    return 0;
}

/* A reference target found: known entity of an accepted kind, not redirected, or flag. */
static void
reference(ArticleScan *self, ScanState *state, PyObject *target, long accepted)
{
    if (state->needs & NEEDS_REFERENCES)
        return;
    PyObject *kind = PyDict_GetItemWithError(self->redirects, target);
    if (kind != NULL) {
        state->needs |= NEEDS_REFERENCES; /* redirected: the Python check says so */
        return;
    }
    if (PyErr_Occurred()) {
        state->failed = 1;
        return;
    }
    kind = PyDict_GetItemWithError(self->kinds, target);
    if (kind == NULL) {
        if (PyErr_Occurred())
            state->failed = 1;
        state->needs |= NEEDS_REFERENCES; /* unknown, broken or a placeholder */
        return;
    }
    long bit = PyLong_AsLong(kind);
    if (bit == -1 && PyErr_Occurred()) {
        state->failed = 1;
        return;
    }
    if (!(bit & accepted)) {
        state->needs |= NEEDS_REFERENCES;
        return;
    }
    if (PySet_Add(state->targets, target) < 0)
        state->failed = 1;
}

/* toolkit.refs._follow, without pointers (they are only needed for findings). */
static void
follow(ArticleScan *self, ScanState *state, PyObject *node, RefPattern *pattern, Py_ssize_t depth)
{
    if (state->failed || (state->needs & NEEDS_REFERENCES))
        return;
    if (depth == pattern->nparts) {
        if (PyUnicode_Check(node))
            reference(self, state, node, pattern->kinds);
        else if (node != Py_None)
            state->needs |= NEEDS_REFERENCES; /* not what a schema-valid record holds */
        return;
    }
    PyObject *part = pattern->parts[depth];
    if (part == NULL) {
        if (PyList_Check(node)) {
            for (Py_ssize_t i = 0; i < PyList_GET_SIZE(node); i++)
                follow(self, state, PyList_GET_ITEM(node, i), pattern, depth + 1);
        }
    }
    else if (PyDict_Check(node)) {
        PyObject *child = PyDict_GetItemWithError(node, part);
        if (child != NULL && child != Py_None)
            follow(self, state, child, pattern, depth + 1);
        else if (child == NULL && PyErr_Occurred())
            state->failed = 1;
    }
}

static int
add_quote(ScanState *state, PyObject *quote)
{
    if (state->nquotes == state->capacity) {
        Py_ssize_t capacity = state->capacity ? state->capacity * 2 : 64;
        PyObject **grown = PyMem_Realloc(state->quotes, capacity * sizeof(PyObject *));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        state->quotes = grown;
        state->capacity = capacity;
    }
    state->quotes[state->nquotes++] = quote;
    return 0;
}

/* A quote that normalise() and strip() leave as it is: printable ASCII with no double
   quote, no two spaces in a row, no space at either end. */
static int
is_plain_quote(PyObject *quote)
{
    if (!PyUnicode_Check(quote) || !PyUnicode_IS_ASCII(quote))
        return 0;
    Py_ssize_t length = PyUnicode_GET_LENGTH(quote);
    const unsigned char *text = PyUnicode_1BYTE_DATA(quote);
    if (length == 0 || text[0] == ' ' || text[length - 1] == ' ')
        return 0;
    for (Py_ssize_t i = 0; i < length; i++) {
        unsigned char c = text[i];
        if (c < 0x20 || c > 0x7e || c == '"' || (c == ' ' && text[i + 1] == ' '))
            return 0;
    }
    return 1;
}

/* normalise(quote).strip() (toolkit.quotes) for a quote of Latin-1 and typographic quotes
   only (both NFC already), as a new reference; NULL when it is not such a quote or is only
   white space (the Python checks decide), or on error (then an exception is set). */
static PyObject *
normalised_quote(PyObject *quote)
{
    if (!PyUnicode_Check(quote))
        return NULL;
    int kind = PyUnicode_KIND(quote);
    const void *data = PyUnicode_DATA(quote);
    Py_ssize_t length = PyUnicode_GET_LENGTH(quote);
    for (Py_ssize_t i = 0; i < length; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c >= 0x100 && !(c >= 0x2018 && c <= 0x201f))
            return NULL;
    }
    PyObject *collapsed = straighten_collapse(NULL, quote);
    if (collapsed == NULL)
        return NULL;
    Py_ssize_t end = PyUnicode_GET_LENGTH(collapsed);
    Py_ssize_t start = end > 0 && PyUnicode_READ_CHAR(collapsed, 0) == ' ';
    if (end > start && PyUnicode_READ_CHAR(collapsed, end - 1) == ' ')
        end--;
    if (end == start) {
        Py_DECREF(collapsed);
        return NULL;
    }
    if (start == 0 && end == PyUnicode_GET_LENGTH(collapsed))
        return collapsed;
    PyObject *stripped = PyUnicode_Substring(collapsed, start, end);
    Py_DECREF(collapsed);
    return stripped;
}

static int
has_key(PyObject *node, PyObject *key, ScanState *state)
{
    int found = PyDict_Contains(node, key);
    if (found < 0)
        state->failed = 1;
    return found == 1;
}

/* checks.evidence's test for a claim's anchors: present, each a bare quote (to be found
   exactly once, counted later); or absent where the claim needs none. */
static void
provenance(ArticleScan *self, ScanState *state, PyObject *node, long flags)
{
    if (flags & SHAPE_FACT) {
        state->needs |= NEEDS_EVIDENCE; /* facts name their own article: entities only */
        return;
    }
    PyObject *anchors = PyDict_GetItemWithError(node, self->s_evidence);
    if (anchors == NULL && PyErr_Occurred()) {
        state->failed = 1;
        return;
    }
    if (anchors == NULL || (PyList_Check(anchors) && PyList_GET_SIZE(anchors) == 0)) {
        int needs = 1;
        if (flags & SHAPE_RESOLUTION) {
            PyObject *status = PyDict_GetItemWithError(node, self->s_status);
            if (status == NULL && PyErr_Occurred()) {
                state->failed = 1;
                return;
            }
            if (status != NULL && PyUnicode_Check(status)
                && PyUnicode_Compare(status, self->s_open) == 0)
                needs = 0;
        }
        if (needs && !has_key(node, self->s_editorial, state))
            state->needs |= NEEDS_EVIDENCE;
        return;
    }
    if (!PyList_Check(anchors) || !state->has_snapshot) {
        state->needs |= NEEDS_EVIDENCE;
        return;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(anchors); i++) {
        PyObject *anchor = PyList_GET_ITEM(anchors, i);
        if (!PyDict_Check(anchor) || PyDict_GET_SIZE(anchor) != 1) {
            state->needs |= NEEDS_EVIDENCE;
            return;
        }
        PyObject *quote = PyDict_GetItemWithError(anchor, self->s_quote);
        if (quote == NULL) {
            if (PyErr_Occurred())
                state->failed = 1;
            state->needs |= NEEDS_EVIDENCE;
            return;
        }
        if (!is_plain_quote(quote)) {
            /* Typographic quotes, doubled or outer spaces…: the needle normalise() makes. */
            quote = normalised_quote(quote);
            if (quote == NULL) {
                if (PyErr_Occurred())
                    state->failed = 1;
                state->needs |= NEEDS_EVIDENCE;
                return;
            }
            int appended = PyList_Append(state->owned, quote);
            Py_DECREF(quote); /* the list holds it */
            if (appended < 0) {
                state->failed = 1;
                return;
            }
        }
        if (add_quote(state, quote) < 0) {
            state->failed = 1;
            return;
        }
    }
}

static int
two_digits(const unsigned char *text)
{
    return (text[0] - '0') * 10 + (text[1] - '0');
}

/* checks.date_bounds(value) is not None: YYYY, YYYY-MM or YYYY-MM-DD of a real date. */
static int
is_real_date(PyObject *value)
{
    if (!PyUnicode_Check(value) || !PyUnicode_IS_ASCII(value))
        return 0;
    Py_ssize_t length = PyUnicode_GET_LENGTH(value);
    const unsigned char *text = PyUnicode_1BYTE_DATA(value);
    if (length != 4 && length != 7 && length != 10)
        return 0;
    static const char form[] = "dddd-dd-dd";
    for (Py_ssize_t i = 0; i < length; i++) {
        if (form[i] == 'd' ? (text[i] < '0' || text[i] > '9') : text[i] != '-')
            return 0;
    }
    if (length == 4)
        return 1;
    int year = two_digits(text) * 100 + two_digits(text + 2);
    int month = two_digits(text + 5);
    if (month < 1 || month > 12)
        return 0;
    if (length == 7)
        return 1;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    int last = days[month - 1] + (month == 2 && leap);
    int day = two_digits(text + 8);
    return day >= 1 && day <= last;
}

static void
checked_object(ArticleScan *self, ScanState *state, PyObject *node, long flags)
{
    if (flags & SHAPE_PROVENANCE)
        provenance(self, state, node, flags);
    if (state->failed)
        return;
    if (flags & SHAPE_VOICED) {
        PyObject *voice = PyDict_GetItemWithError(node, self->s_voice);
        if (voice == NULL) {
            if (PyErr_Occurred())
                state->failed = 1;
            state->needs |= NEEDS_EVIDENCE;
            return;
        }
        int attributed = PyUnicode_Check(voice) && PyUnicode_Compare(voice, self->s_attributed) == 0;
        if (attributed != has_key(node, self->s_attributed_to, state))
            state->needs |= NEEDS_EVIDENCE;
    }
    if (flags & SHAPE_MENTION && has_key(node, self->s_label, state)
        && !has_key(node, self->s_identification, state)) {
        PyObject *entity = PyDict_GetItemWithError(node, self->s_entity);
        if (entity == NULL || !PyUnicode_Check(entity)) {
            if (PyErr_Occurred())
                state->failed = 1;
            state->needs |= NEEDS_EVIDENCE;
        }
        else if (PyList_Append(state->identify, entity) < 0)
            state->failed = 1;
    }
    if (flags & SHAPE_DATE_CLAIM) {
        PyObject *value = PyDict_GetItemWithError(node, self->s_value);
        if (value == NULL && PyErr_Occurred())
            state->failed = 1;
        else if (value == NULL || !is_real_date(value))
            state->needs |= NEEDS_DATES;
    }
}

/* toolkit.shape._collect_checked, acting on each checked object instead of listing it. */
static void
collect(ArticleScan *self, ScanState *state, PyObject *node, Py_ssize_t shape_index, int depth)
{
    if (state->failed || !PyDict_Check(node))
        return;
    if (depth > MAX_WALK_DEPTH) {
        state->needs |= NEEDS_EVIDENCE | NEEDS_DATES;
        return;
    }
    ShapeSpec *shape = &self->shapes[shape_index];
    if (shape->flags & SHAPE_CHECKED)
        checked_object(self, state, node, shape->flags);
    for (Py_ssize_t i = 0; i < shape->nchildren && !state->failed; i++) {
        ShapeChild *child = &shape->children[i];
        PyObject *value = PyDict_GetItemWithError(node, child->key);
        if (value == NULL) {
            if (PyErr_Occurred())
                state->failed = 1;
            continue;
        }
        if (value == Py_None)
            continue;
        if (!child->is_list)
            collect(self, state, value, child->child, depth + 1);
        else if (PyList_Check(value)) {
            for (Py_ssize_t j = 0; j < PyList_GET_SIZE(value) && !state->failed; j++)
                collect(self, state, PyList_GET_ITEM(value, j), child->child, depth + 1);
        }
    }
}

/* ---- counting quotes: Rabin-Karp over the snapshot for all the record's quotes at once -- */

#define WINDOW 8
#define BASE 1000003ULL

static int
quote_at(PyObject *text, int kind, const void *data, Py_ssize_t at, PyObject *quote)
{
    Py_ssize_t length = PyUnicode_GET_LENGTH(quote);
    const unsigned char *chars = PyUnicode_1BYTE_DATA(quote);
    if (at + length > PyUnicode_GET_LENGTH(text))
        return 0;
    if (kind == PyUnicode_1BYTE_KIND)
        return memcmp((const Py_UCS1 *)data + at, chars, length) == 0;
    for (Py_ssize_t i = 0; i < length; i++) {
        if (PyUnicode_READ(kind, data, at + i) != chars[i])
            return 0;
    }
    return 1;
}

/* 1 when every quote occurs exactly once in text (overlapping occurrences count), 0 when
   one does not, -1 on error. Quotes are one-byte (Latin-1) strings: is_plain_quote or
   normalised_quote. */
static int
each_occurs_once(PyObject *text, PyObject **quotes, Py_ssize_t nquotes)
{
    if (nquotes == 0)
        return 1;
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    unsigned char *counts = PyMem_Calloc(nquotes, 1);
    if (counts == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    int result = 1;
    /* Short quotes: the library's search, twice. Longer ones: one rolling-hash pass over the
       text keyed by their first WINDOW characters. */
    Py_ssize_t nlong = 0;
    for (Py_ssize_t q = 0; q < nquotes; q++) {
        Py_ssize_t qlength = PyUnicode_GET_LENGTH(quotes[q]);
        if (qlength >= WINDOW) {
            nlong++;
            continue;
        }
        Py_ssize_t first = PyUnicode_Find(text, quotes[q], 0, length, 1);
        if (first < -1) {
            result = -1;
            goto done;
        }
        if (first == -1) {
            result = 0;
            goto done;
        }
        Py_ssize_t second = PyUnicode_Find(text, quotes[q], first + 1, length, 1);
        if (second < -1) {
            result = -1;
            goto done;
        }
        if (second != -1) {
            result = 0;
            goto done;
        }
        counts[q] = 1;
    }
    if (nlong == 0 || length < WINDOW) {
        result = nlong == 0;
        goto done;
    }
    {
        Py_ssize_t size = 16;
        while (size < nlong * 4)
            size *= 2;
        Py_ssize_t *heads = PyMem_Malloc(size * sizeof(Py_ssize_t));
        Py_ssize_t *next = PyMem_Malloc(nquotes * sizeof(Py_ssize_t));
        uint64_t *hashes = PyMem_Malloc(nquotes * sizeof(uint64_t));
        if (heads == NULL || next == NULL || hashes == NULL) {
            PyMem_Free(heads);
            PyMem_Free(next);
            PyMem_Free(hashes);
            PyErr_NoMemory();
            result = -1;
            goto done;
        }
        for (Py_ssize_t i = 0; i < size; i++)
            heads[i] = -1;
        for (Py_ssize_t q = 0; q < nquotes; q++) {
            if (PyUnicode_GET_LENGTH(quotes[q]) < WINDOW)
                continue;
            const unsigned char *chars = PyUnicode_1BYTE_DATA(quotes[q]);
            uint64_t hash = 0;
            for (int i = 0; i < WINDOW; i++)
                hash = hash * BASE + chars[i];
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
        /* The loop twice: reading one-byte text directly is the common case (an ASCII or
           Latin-1 snapshot) and several times faster than through PyUnicode_READ. */
#define ROLL(READ)                                                                         \
        for (Py_ssize_t at = 0; at + WINDOW <= length; at++) {                              \
            if (at > 0)                                                                     \
                hash = (hash - top * READ(at - 1)) * BASE + READ(at + WINDOW - 1);          \
            Py_ssize_t slot = (Py_ssize_t)((hash ^ (hash >> 29)) & (uint64_t)(size - 1));   \
            for (Py_ssize_t q = heads[slot]; q != -1; q = next[q]) {                        \
                if (hashes[q] == hash && quote_at(text, kind, data, at, quotes[q])) {       \
                    if (counts[q] == 1) {                                                   \
                        result = 0; /* a second occurrence */                              \
                        break;                                                              \
                    }                                                                       \
                    counts[q] = 1;                                                          \
                }                                                                           \
            }                                                                               \
            if (result == 0)                                                                \
                break;                                                                      \
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
        if (result == 1) {
            for (Py_ssize_t q = 0; q < nquotes; q++) {
                if (!counts[q]) {
                    result = 0;
                    break;
                }
            }
        }
    }
done:
    PyMem_Free(counts);
    return result;
}

/* scan(article, snapshot) -> (needs, targets, identify)
   needs: a mask of the checks that must look at this record (1 references, 2 evidence,
   4 dates); targets: the entity IDs it references (meaningful when references are not
   needed); identify: the entities of its mentions with a label but no identification (the
   caller checks that the snapshot names them). snapshot: the normalised source text or None. */
static PyObject *
scan_scan(ArticleScan *self, PyObject *args)
{
    PyObject *article, *snapshot;
    if (!PyArg_ParseTuple(args, "OO", &article, &snapshot))
        return NULL;
    if (self->shapes == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "ArticleScan is not initialised");
        return NULL;
    }
    if (snapshot != Py_None && !PyUnicode_Check(snapshot)) {
        PyErr_SetString(PyExc_TypeError, "the snapshot is a str or None");
        return NULL;
    }
    ScanState state = {0};
    state.has_snapshot = snapshot != Py_None;
    state.targets = PySet_New(NULL);
    state.identify = PyList_New(0);
    state.owned = PyList_New(0);
    if (state.targets == NULL || state.identify == NULL || state.owned == NULL)
        goto error;
    if (!PyDict_Check(article)) {
        state.needs = NEEDS_REFERENCES | NEEDS_EVIDENCE | NEEDS_DATES;
    }
    else {
        for (Py_ssize_t i = 0; i < self->npatterns && !state.failed; i++)
            follow(self, &state, article, &self->patterns[i], 0);
        if (state.failed)
            goto error;
        collect(self, &state, article, 0, 0);
        if (state.failed)
            goto error;
        if (!(state.needs & NEEDS_EVIDENCE) && state.nquotes) {
            int once = each_occurs_once(snapshot, state.quotes, state.nquotes);
            if (once < 0)
                goto error;
            if (!once)
                state.needs |= NEEDS_EVIDENCE;
        }
    }
    PyMem_Free(state.quotes);
    Py_DECREF(state.owned);
    PyObject *result = Py_BuildValue("(lNN)", state.needs, state.targets, state.identify);
    return result;
error:
    PyMem_Free(state.quotes);
    Py_XDECREF(state.owned);
    Py_XDECREF(state.targets);
    Py_XDECREF(state.identify);
    return NULL;
}

static PyMethodDef scan_methods[] = {
    {"scan", (PyCFunction)scan_scan, METH_VARARGS,
     "scan(article, snapshot) -> (needs, targets, identify)"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ArticleScanType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "toolkit._native.ArticleScan",
    .tp_basicsize = sizeof(ArticleScan),
    .tp_dealloc = (destructor)scan_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The per-article fast path of validation (see the module's docstring).",
    .tp_methods = scan_methods,
    .tp_init = (initproc)scan_init,
    .tp_new = PyType_GenericNew,
};

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
    /* What the regex \w matches (and toolkit.quotes._is_word tests). */
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

/* straighten_collapse(text) -> str: toolkit.quotes' _collapse(_straighten(text)): typographic
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
    .m_doc = "The hot loops of validation in C; toolkit/checks.py stays the reference.",
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
    if (PyType_Ready(&ArticleScanType) < 0 || PyType_Ready(&NameTableType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddIntConstant(m, "NEEDS_REFERENCES", NEEDS_REFERENCES) < 0
        || PyModule_AddIntConstant(m, "NEEDS_EVIDENCE", NEEDS_EVIDENCE) < 0
        || PyModule_AddIntConstant(m, "NEEDS_DATES", NEEDS_DATES) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(&ArticleScanType);
    if (PyModule_AddObject(m, "ArticleScan", (PyObject *)&ArticleScanType) < 0) {
        Py_DECREF(&ArticleScanType);
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(&NameTableType);
    if (PyModule_AddObject(m, "NameTable", (PyObject *)&NameTableType) < 0) {
        Py_DECREF(&NameTableType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
