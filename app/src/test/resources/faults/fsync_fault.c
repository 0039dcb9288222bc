/*
 * Fault injection for fsync, loaded into the app under test with LD_PRELOAD. While the file named by
 * FAULT_FSYNC_FILE exists, every fsync and fdatasync of the process either fails with EIO (the file starts with 'f')
 * or stalls for 60 seconds before syncing (the file starts with 's'), so a test can kill the process mid-commit.
 * Without the file, calls go straight to the C library.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static char fault_mode(void) {
    const char *path = getenv("FAULT_FSYNC_FILE");
    if (path == NULL) {
        return 0;
    }
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return 0;
    }
    char mode = 0;
    if (read(fd, &mode, 1) != 1) {
        mode = 0;
    }
    close(fd);
    return mode;
}

static int inject(void) {
    char mode = fault_mode();
    if (mode == 'f') {
        errno = EIO;
        return -1;
    }
    if (mode == 's') {
        sleep(60);
    }
    return 0;
}

int fsync(int fd) {
    static int (*real)(int);
    if (real == NULL) {
        real = (int (*)(int)) dlsym(RTLD_NEXT, "fsync");
    }
    return inject() < 0 ? -1 : real(fd);
}

int fdatasync(int fd) {
    static int (*real)(int);
    if (real == NULL) {
        real = (int (*)(int)) dlsym(RTLD_NEXT, "fdatasync");
    }
    return inject() < 0 ? -1 : real(fd);
}
