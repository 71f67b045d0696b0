/* The annotations live in sal.h; WDK sources include either name. */
#include <sal.h>
