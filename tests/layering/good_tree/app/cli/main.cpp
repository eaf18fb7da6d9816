// The CLI: plain C++, the service and the bench commands.
#include <iostream>
#include "engine/service/generation_service.h"
#include "engine/bench/fixtures.h"
