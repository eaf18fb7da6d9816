// torch-cv-in-engine-only: OpenCV in the widgets.
#include <opencv2/core.hpp>
