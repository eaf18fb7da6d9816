#include "app/remote/sse_parser.h"

namespace easel::remote {

std::vector<SseEvent> SseParser::feed(std::string_view bytes)
{
    std::vector<SseEvent> out;
    for (char c : bytes) {
        // Lines end with CRLF, LF or CR; a CRLF split across two chunks is one end.
        if (m_lastWasCr && c == '\n') {
            m_lastWasCr = false;
            continue;
        }
        m_lastWasCr = c == '\r';
        if (c == '\r' || c == '\n') {
            line(m_partial, out);
            m_partial.clear();
        } else {
            m_partial += c;
        }
    }
    return out;
}

void SseParser::line(std::string_view text, std::vector<SseEvent>& out)
{
    if (text.empty()) { // a blank line dispatches the event gathered so far
        if (m_hasData) {
            SseEvent event;
            event.type = m_type.empty() ? "message" : m_type;
            event.data = std::move(m_data);
            event.id = m_id;
            out.push_back(std::move(event));
        }
        m_type.clear();
        m_data.clear();
        m_hasData = false;
        return;
    }
    if (text.front() == ':')
        return; // a comment: keep-alive
    const auto colon = text.find(':');
    std::string_view field = text.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? std::string_view {} : text.substr(colon + 1);
    if (!value.empty() && value.front() == ' ')
        value.remove_prefix(1);
    if (field == "event") {
        m_type = value;
    } else if (field == "data") {
        if (m_hasData)
            m_data += '\n';
        m_data += value;
        m_hasData = true;
    } else if (field == "id") {
        m_id = value;
    } // "retry" and unknown fields: nothing for a client that does not reconnect by itself
}

} // namespace easel::remote
