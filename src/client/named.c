/*
 * Named events and semaphores: CreateEvent("name") twice gives the same
 * object (ERROR_ALREADY_EXISTS), OpenEvent finds it. The table holds a
 * reference to each named object and counts the program handles to it; the
 * name goes with the last handle, as an object's name does on Windows.
 * Names are per process here (kmhost has one), compared case-sensitively
 * as object names are.
 */
#include "client/client.h"

#include <pthread.h>
#include <stdlib.h>

struct named {
    LIST_ENTRY link;
    WCHAR *name;
    void *body;
    size_t handles;
};

static pthread_mutex_t named_lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_ENTRY names = { &names, &names };

static bool same_name(const WCHAR *a, const WCHAR *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* Named lock held. */
static struct named *find_by(const WCHAR *name, const void *body)
{
    for (PLIST_ENTRY e = names.Flink; e != &names; e = e->Flink) {
        struct named *n = CONTAINING_RECORD(e, struct named, link);
        if ((name && same_name(n->name, name)) || (body && n->body == body))
            return n;
    }
    return NULL;
}

void *client_named_find(const WCHAR *name, const nt_object_type *type, DWORD *error)
{
    void *body = NULL;

    pthread_mutex_lock(&named_lock);
    struct named *n = find_by(name, NULL);
    if (n && nt_object_type_of(n->body) != type) {
        *error = ERROR_INVALID_HANDLE; /* the name belongs to another kind of object */
    } else if (n) {
        body = n->body;
        nt_object_ref(body);
    } else {
        *error = ERROR_FILE_NOT_FOUND;
    }
    pthread_mutex_unlock(&named_lock);
    return body;
}

DWORD client_named_add(const WCHAR *name, void *body)
{
    struct named *n = calloc(1, sizeof(*n));
    size_t len = client_wcslen(name);

    if (!n || !(n->name = malloc((len + 1) * sizeof(WCHAR)))) {
        free(n);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    memcpy(n->name, name, (len + 1) * sizeof(WCHAR));
    n->body = body;
    nt_object_ref(body);
    pthread_mutex_lock(&named_lock);
    InsertTailList(&names, &n->link);
    pthread_mutex_unlock(&named_lock);
    return 0;
}

void client_named_handle_opened(void *body)
{
    pthread_mutex_lock(&named_lock);
    struct named *n = find_by(NULL, body);
    if (n)
        n->handles++;
    pthread_mutex_unlock(&named_lock);
}

void client_named_handle_closed(void *body)
{
    pthread_mutex_lock(&named_lock);
    struct named *n = find_by(NULL, body);
    if (n && --n->handles == 0)
        RemoveEntryList(&n->link);
    else
        n = NULL;
    pthread_mutex_unlock(&named_lock);
    if (n) {
        nt_object_unref(n->body);
        free(n->name);
        free(n);
    }
}
