/* wdm.h now defines everything the KMDF headers need; kept so run.sh's
 * include path stays valid. */
#include_next <ntddk.h>
