/*
 * The kmhost command's subcommands; shared by tools/kmhost only.
 */
#ifndef KMHOST_CLI_H
#define KMHOST_CLI_H

#include "kmhost.h"

/* Each returns the process exit status; argv[0] is the subcommand. */
int cli_install(int argc, char **argv);
int cli_add(int argc, char **argv);
int cli_remove(int argc, char **argv);
int cli_list(int argc, char **argv);
int cli_start(int argc, char **argv);
int cli_stop(int argc, char **argv);
int cli_ioctl(int argc, char **argv);
int cli_read(int argc, char **argv);
int cli_write(int argc, char **argv);
int cli_compare(int argc, char **argv);

/* Starts the device tree of this process, or says why it could not. */
int cli_runtime_start(void);
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* KMHOST_CLI_H */
