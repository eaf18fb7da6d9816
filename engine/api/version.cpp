#include "engine/api/version.h"

namespace easel::api {

const char* easelVersion() { return EASEL_VERSION_STRING; }

} // namespace easel::api
