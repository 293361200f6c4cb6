// The system zlib, reached through a system-library target (no Swift package dependency).
#include <zlib.h>
