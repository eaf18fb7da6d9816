// no-bench-in-product: a synthetic fixture in the Qt adapter.
#include "engine/bench/fixtures.h"
