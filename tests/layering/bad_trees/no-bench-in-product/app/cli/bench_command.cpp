// Allowed: the CLI's bench commands.
#include "engine/bench/fixtures.h"
