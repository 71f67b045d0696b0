/*
 * What makes an install atomic: one registry batch, and files copied
 * beside their destination under temporary names, renamed into place only
 * once the batch committed. A failure before the commit rolls the batch
 * back and removes the temporary files and the directories the install
 * created, so nothing stored before changes. A crash between the commit
 * and the renames leaves hidden ".name.XXXXXX" files behind and the old
 * (or no) file in place; installing again completes the job.
 */
#include "pnp/install.h"
#include "nt/registry.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct pnp_staged {
    char *tmp;
    char *final;
};

int pnp_registry_hold(struct pnp_txn *t)
{
    char why[512] = "";

    /* Only an open registry is used: opening one would start a boot. */
    if (!nt_registry())
        return pnp_errorf(t, -ENODEV, "the kmhost registry is not open");
    int rc = nt_registry_open(NULL, why, sizeof(why));
    if (rc < 0)
        return pnp_errorf(t, rc, "%s", why);
    t->held = true;
    t->rs = nt_registry();
    return 0;
}

void pnp_registry_release(struct pnp_txn *t)
{
    if (t->held)
        nt_registry_close();
    t->held = false;
    t->rs = NULL;
}

int pnp_txn_begin(struct pnp_txn *t, char *err, size_t err_size)
{
    *t = (struct pnp_txn){ .err = err, .err_size = err_size };
    if (err && err_size)
        err[0] = 0;
    int rc = pnp_registry_hold(t);
    if (rc < 0)
        return rc;
    if ((rc = regstore_begin(t->rs)) < 0) {
        rc = pnp_reg_error(t, rc, "cannot start a registry batch");
        pnp_registry_release(t);
    }
    return rc;
}

static void txn_free(struct pnp_txn *t)
{
    for (size_t i = 0; i < t->nstaged; i++) {
        free(t->staged[i].tmp);
        free(t->staged[i].final);
    }
    free(t->staged);
    for (size_t i = 0; i < t->nmade_dirs; i++)
        free(t->made_dirs[i]);
}

static void undo_files(struct pnp_txn *t)
{
    for (size_t i = 0; i < t->nstaged; i++)
        unlink(t->staged[i].tmp);
    for (size_t i = t->nmade_dirs; i-- > 0;)
        rmdir(t->made_dirs[i]);
}

/* After the commit: a failing rename leaves that file's older version. */
static int publish_files(struct pnp_txn *t)
{
    int rc = 0;

    for (size_t i = 0; i < t->nstaged; i++) {
        if (rename(t->staged[i].tmp, t->staged[i].final) == 0)
            continue;
        if (rc == 0)
            rc = pnp_errorf(t, -errno, "registry updated, but cannot rename %s to %s: %s",
                            t->staged[i].tmp, t->staged[i].final, strerror(errno));
        unlink(t->staged[i].tmp);
    }
    return rc;
}

int pnp_txn_end(struct pnp_txn *t, int rc)
{
    if (rc >= 0) {
        rc = regstore_commit(t->rs);
        if (rc < 0)
            rc = pnp_reg_error(t, rc, "cannot commit the registry batch");
    } else {
        regstore_rollback(t->rs);
    }
    if (rc < 0)
        undo_files(t);
    else
        rc = publish_files(t);
    txn_free(t);
    pnp_registry_release(t);
    return rc;
}

static int make_dir(struct pnp_txn *t, const char *dir)
{
    if (mkdir(dir, 0755) < 0)
        return errno == EEXIST ? 0 : pnp_errorf(t, -errno, "cannot create %s: %s", dir,
                                                 strerror(errno));
    if (t->nmade_dirs == KMH_ARRAY_SIZE(t->made_dirs) || !(t->made_dirs[t->nmade_dirs] = strdup(dir))) {
        rmdir(dir);
        return pnp_errorf(t, -ENOMEM, "out of memory");
    }
    t->nmade_dirs++;
    return 0;
}

static int copy_fd(int in, int out)
{
    char buf[65536];
    for (;;) {
        ssize_t n = read(in, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? -errno : 0;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(out, buf + done, (size_t)(n - done));
            if (w < 0 && errno != EINTR)
                return -errno;
            done += w > 0 ? w : 0;
        }
    }
}

/* The copy is made durable before the rename can publish it. */
static int copy_to_temp(struct pnp_txn *t, const char *src, char *tmp)
{
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return pnp_errorf(t, -errno, "cannot read %s: %s", src, strerror(errno));
    int out = mkostemp(tmp, O_CLOEXEC);
    if (out < 0) {
        int rc = pnp_errorf(t, -errno, "cannot create %s: %s", tmp, strerror(errno));
        close(in);
        return rc;
    }
    int rc = copy_fd(in, out);
    if (rc == 0 && (fchmod(out, 0644) < 0 || fsync(out) < 0))
        rc = -errno;
    close(in);
    if (close(out) < 0 && rc == 0)
        rc = -errno;
    if (rc < 0) {
        unlink(tmp);
        return pnp_errorf(t, rc, "cannot copy %s: %s", src, strerror(-rc));
    }
    return 0;
}

int pnp_stage_file(struct pnp_txn *t, const char *src, const char *dir, const char *name)
{
    struct pnp_staged s = { 0 };
    int rc = make_dir(t, dir);

    if (rc < 0)
        return rc;
    if (asprintf(&s.tmp, "%s/.%s.XXXXXX", dir, name) < 0 ||
        asprintf(&s.final, "%s/%s", dir, name) < 0) {
        s.final = NULL;
        rc = pnp_errorf(t, -ENOMEM, "out of memory");
        goto err;
    }
    if ((rc = copy_to_temp(t, src, s.tmp)) < 0)
        goto err;
    struct pnp_staged *more = realloc(t->staged, (t->nstaged + 1) * sizeof(*more));
    if (!more) {
        unlink(s.tmp);
        rc = pnp_errorf(t, -ENOMEM, "out of memory");
        goto err;
    }
    t->staged = more;
    t->staged[t->nstaged++] = s;
    return 0;
err:
    free(s.tmp);
    free(s.final);
    return rc;
}

bool pnp_files_equal(const char *a, const char *b)
{
    bool same = false;
    int fa = open(a, O_RDONLY | O_CLOEXEC), fb = open(b, O_RDONLY | O_CLOEXEC);
    struct stat sa, sb;

    if (fa >= 0 && fb >= 0 && !fstat(fa, &sa) && !fstat(fb, &sb) && sa.st_size == sb.st_size) {
        char ba[8192], bb[8192];
        ssize_t ra, rb;
        do {
            ra = read(fa, ba, sizeof(ba));
            rb = read(fb, bb, sizeof(bb));
            same = ra >= 0 && ra == rb && !memcmp(ba, bb, (size_t)ra);
        } while (same && ra > 0);
    }
    if (fa >= 0)
        close(fa);
    if (fb >= 0)
        close(fb);
    return same;
}
