#pragma once
/// Server-sent events (text/event-stream, WHATWG HTML §9.2) cut into events as bytes arrive: the
/// Easel server's job stream (`event: progress`, `data: {...}`). Chunks may split lines anywhere;
/// comment lines (": ping", the server's keep-alives) are dropped. Plain C++; one stream per parser.

#include <string>
#include <string_view>
#include <vector>

namespace easel::remote {

struct SseEvent {
    std::string type = "message"; ///< the `event:` field; "message" when the event names none
    std::string data; ///< `data:` lines joined with '\n'
    std::string id; ///< the last `id:` seen (the stream's, as the spec keeps it)
};

class SseParser {
public:
    /// Feeds the next bytes of the stream; returns the events they completed, in order.
    std::vector<SseEvent> feed(std::string_view bytes);

private:
    void line(std::string_view text, std::vector<SseEvent>& out);

    std::string m_partial; ///< an unfinished line
    bool m_lastWasCr = false; ///< a CR ended the last chunk: a LF starting the next belongs to it
    std::string m_type;
    std::string m_data;
    bool m_hasData = false;
    std::string m_id;
};

} // namespace easel::remote
