"""Sample sources written for these tests (the project's own writing)."""

from __future__ import annotations

PSC = "http://podlove.org/simple-chapters"
PODCAST_NEW = "https://podcastindex.org/namespace/1.0"
PODCAST_OLD = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"


def rss(items: str, title: str = "Night Shift Radio", extra_ns: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:psc="{PSC}" xmlns:podcast="{PODCAST_NEW}" xmlns:pc2="{PODCAST_OLD}" {extra_ns}>
<channel>
  <title>{title}</title>
  <link>https://nightshift.example/</link>
  <itunes:author>Rosa Vell</itunes:author>
  <description>Stories told after midnight.</description>
  {items}
</channel>
</rss>""".encode()


ITEMS = """
  <item>
    <title>The Lighthouse Keeper</title>
    <guid isPermaLink="false">ns-001</guid>
    <pubDate>Tue, 07 May 2024 14:00:00 +0200</pubDate>
    <enclosure url="https://cdn.nightshift.example/001.mp3" length="1" type="audio/mpeg"/>
    <itunes:duration>1:05:09</itunes:duration>
    <itunes:season>2</itunes:season>
    <itunes:episode>7</itunes:episode>
    <description><![CDATA[<p>A keeper &amp; her <b>lamp</b>.</p><p>Second paragraph &eacute;t&eacute;.</p>]]></description>
    <psc:chapters version="1.2">
      <psc:chapter start="00:10:00.500" title="The storm"/>
      <psc:chapter start="0" title="Cold open"/>
      <psc:chapter start="7:48" title="Arrival"/>
      <psc:chapter start="01:00:02" title="Dawn"/>
    </psc:chapters>
  </item>
  <item>
    <title>Radio Silence</title>
    <guid>ns-002</guid>
    <pubDate>Mon, 06 May 2024 09:30:00 GMT</pubDate>
    <enclosure url="https://cdn.nightshift.example/002.mp3" length="1" type="audio/mpeg"/>
    <itunes:duration>1740</itunes:duration>
    <podcast:chapters url="chapters/002.json" type="application/json+chapters"/>
    <description>Notes: 0:00 Hello 2:00 The signal 10:00 Static 25:00 Goodbye https://nightshift.example/shop</description>
  </item>
  <item>
    <title>Old Namespace</title>
    <guid>ns-003</guid>
    <pubDate>Sun, 05 May 2024 09:30:00 GMT</pubDate>
    <itunes:duration>29:00</itunes:duration>
    <pc2:chapters url="chapters/003.json" type="application/json+chapters"/>
    <description>No enclosure on this one.</description>
  </item>
  <item>
    <title>Bonus: no guid</title>
    <enclosure url="https://cdn.nightshift.example/bonus.mp3" length="1" type="audio/mpeg"/>
    <itunes:duration>0:45</itunes:duration>
    <description>Short.</description>
  </item>
"""

CHAPTERS_002 = b"""{"version": "1.2.0", "chapters": [
  {"startTime": 0, "title": "Intro"},
  {"startTime": 60.5, "title": "Sponsor", "toc": false},
  {"startTime": 120, "title": "The signal"},
  {"startTime": 600, "title": "Static"},
  {"startTime": 900, "title": "Voices"},
  {"startTime": 1500, "title": "Goodbye"}
]}"""

CHAPTERS_003 = b"""{"version": "1.2.0", "chapters": [
  {"startTime": 0, "title": "One"}, {"startTime": 300, "title": "Two"}
]}"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
  <title>Atomic Hour</title>
  <link rel="alternate" href="https://atomic.example/"/>
  <author><name>Ida Moss</name></author>
  <entry>
    <title>Half-lives</title>
    <id>urn:uuid:atomic-1</id>
    <published>2024-03-01T08:00:00Z</published>
    <link rel="alternate" href="https://atomic.example/1"/>
    <link rel="enclosure" href="https://atomic.example/1.mp3" type="audio/mpeg"/>
    <itunes:duration>45:00</itunes:duration>
    <summary type="html">&lt;p&gt;Decay, explained.&lt;/p&gt;</summary>
  </entry>
  <entry>
    <title>Date only</title>
    <id>urn:uuid:atomic-2</id>
    <updated>2024-03-08</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Plain <em>xhtml</em>.</p></div></content>
  </entry>
</feed>"""


def opml(*urls: str) -> bytes:
    outlines = "\n".join(f'<outline type="rss" text="Feed {i}" xmlUrl="{u}"/>' for i, u in enumerate(urls))
    return f"""<?xml version="1.0"?><opml version="2.0"><head><title>subs</title></head>
<body><outline text="Podcasts">{outlines}</outline></body></opml>""".encode()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title></channel></rss>"""


def quadratic_blowup() -> bytes:
    big = "A" * 100_000
    refs = "&a;" * 20_000
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "{big}">]>\n'
            f"<rss version=\"2.0\"><channel><title>{refs}</title></channel></rss>").encode()


EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&secret;</title></channel></rss>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd">
<rss version="2.0"><channel><title>&x;</title></channel></rss>"""
