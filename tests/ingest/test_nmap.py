"""nmap ``-oX`` files: hosts become inventory rows; unsafe XML is refused.

The scan below follows nmap's documented XML output (nmap.dtd, "XML Output (-oX)" in the
Nmap Reference Guide): the prolog nmap writes, ``<hosthint>``, ``<host>`` with ``<status>``,
``<address addrtype="ipv4|mac" vendor>``, ``<hostnames>``, ``<ports>/<port>/<service>`` with
``<cpe>``, ``<os>/<osmatch>/<osclass>``, and ``<runstats>``. MAC prefixes are real registry
blocks (44:19:B6 Hikvision, 3C:EF:8C Dahua); banners are nmap's service-probe names.
"""



from __future__ import annotations

from pathlib import Path

import pytest

from procurewatch.errors import InputError
from procurewatch.ingest.inventory import NMAP_MAP, open_inventory
from procurewatch.ingest.nmap import NmapReader, check_nmap_xml

PROLOG = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<?xml-stylesheet href="file:///usr/bin/../share/nmap/nmap.xsl" type="text/xsl"?>
<!-- Nmap 7.94SVN scan initiated Mon Mar  4 10:12:01 2024 as: nmap -sV -O -oX scan.xml 10.20.0.0/24 -->
<nmaprun scanner="nmap" args="nmap -sV -O -oX scan.xml 10.20.0.0/24" start="1709547121" startstr="Mon Mar  4 10:12:01 2024" version="7.94SVN" xmloutputversion="1.05">
<scaninfo type="syn" protocol="tcp" numservices="1000" services="1,3-4,6-7,9"/>
<verbose level="0"/>
<debugging level="0"/>
"""
CAMERA = """<hosthint><status state="up" reason="arp-response" reason_ttl="0"/>
<address addr="10.20.0.64" addrtype="ipv4"/>
<address addr="44:19:B6:3A:10:7C" addrtype="mac" vendor="Hangzhou Hikvision Digital Technology"/>
<hostnames>
</hostnames>
</hosthint>
<host starttime="1709547125" endtime="1709547190"><status state="up" reason="arp-response" reason_ttl="0"/>
<address addr="10.20.0.64" addrtype="ipv4"/>
<address addr="44:19:B6:3A:10:7C" addrtype="mac" vendor="Hangzhou Hikvision Digital Technology"/>
<hostnames>
<hostname name="cam-lobby.example.org" type="PTR"/>
</hostnames>
<ports><extraports state="closed" count="997">
<extrareasons reason="reset" count="997" proto="tcp" ports="1,3-4,6-7,9"/>
</extraports>
<port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="http" product="Hikvision IP camera httpd" devicetype="webcam" method="probed" conf="10"><cpe>cpe:/h:hikvision:ds-2cd2143g2-i</cpe></service></port>
<port protocol="tcp" portid="554"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="rtsp" product="Hikvision 7513 POE IP camera rtspd" devicetype="webcam" method="probed" conf="10"/></port>
<port protocol="tcp" portid="8000"><state state="filtered" reason="no-response" reason_ttl="0"/><service name="http-alt" method="table" conf="3"/></port>
</ports>
<os><portused state="open" proto="tcp" portid="80"/>
<osmatch name="Hikvision DS-2CD2143G2-I IP camera" accuracy="98" line="33221">
<osclass type="webcam" vendor="Hikvision" osfamily="embedded" accuracy="98"><cpe>cpe:/h:hikvision:ds-2cd2143g2-i</cpe></osclass>
</osmatch>
</os>
<times srtt="1120" rttvar="210" to="100000"/>
</host>
"""
PHONE = """<host starttime="1709547125" endtime="1709547190"><status state="up" reason="arp-response" reason_ttl="0"/>
<address addr="10.20.0.23" addrtype="ipv4"/>
<address addr="DA:A1:19:5B:2C:01" addrtype="mac"/>
<hostnames></hostnames>
<ports><extraports state="filtered" count="1000"/></ports>
</host>
"""
DOWN = """<host><status state="down" reason="no-response" reason_ttl="0"/>
<address addr="10.20.0.99" addrtype="ipv4"/>
</host>
"""
RECORDER = """<host starttime="1709547125" endtime="1709547190"><status state="up" reason="arp-response" reason_ttl="0"/>
<address addr="10.20.0.108" addrtype="ipv4"/>
<address addr="3C:EF:8C:11:22:33" addrtype="mac" vendor="Zhejiang Dahua Technology"/>
<hostnames><hostname name="nvr-1.example.org" type="user"/><hostname name="nvr-1" type="PTR"/></hostnames>
<ports>
<port protocol="tcp" portid="37777"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="dahua-dvr" product="Dahua DVR" method="probed" conf="10"/></port>
</ports>
</host>
"""
END = """<runstats><finished time="1709547190" timestr="Mon Mar  4 10:13:10 2024" summary="Nmap done at Mon Mar  4 10:13:10 2024; 256 IP addresses (3 hosts up) scanned in 69.02 seconds" elapsed="69.02" exit="success"/><hosts up="3" down="253" total="256"/>
</runstats>
</nmaprun>
"""
SCAN = PROLOG + CAMERA + PHONE + DOWN + RECORDER + END


def _write(tmp_path: Path, text: str, name: str = "scan.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _rows(reader: NmapReader) -> list[dict[str, object]]:
    return [row for batch in reader.batches() for row in batch.to_pylist()]


def test_hosts_become_rows_numbered_by_host(tmp_path: Path) -> None:
    reader = NmapReader(path=_write(tmp_path, SCAN))
    rows = _rows(reader)
    assert [r["_row"] for r in rows] == [1, 2, 4]  # host 3 is down; the hosthint is no host
    assert reader.hosts_down == 1 and reader.rejects == []
    camera, phone, recorder = rows
    assert camera["mac"] == "44:19:B6:3A:10:7C"
    assert camera["mac_vendor"] == "Hangzhou Hikvision Digital Technology"
    assert camera["ipv4"] == "10.20.0.64" and camera["hostname"] == "cam-lobby.example.org"
    assert (
        camera["os"] == "Hikvision DS-2CD2143G2-I IP camera" and camera["os_vendor"] == "Hikvision"
    )
    assert camera["device_type"] == "webcam"
    assert camera["services"] == (
        "80/tcp http: Hikvision IP camera httpd; 554/tcp rtsp: Hikvision 7513 POE IP camera rtspd"
    )
    assert camera["cpe"] == "cpe:/h:hikvision:ds-2cd2143g2-i"
    assert camera["_source_file"] == str(tmp_path / "scan.xml")
    assert phone["mac"] == "DA:A1:19:5B:2C:01" and phone["services"] is None
    assert recorder["hostname"] == "nvr-1.example.org; nvr-1"
    assert recorder["services"] == "37777/tcp dahua-dvr: Dahua DVR"


def test_small_batches_keep_the_host_numbers(tmp_path: Path) -> None:
    reader = NmapReader(path=_write(tmp_path, SCAN), batch_size=1)
    batches = list(reader.batches())
    assert [b.num_rows for b in batches] == [1, 1, 1]
    assert [b.column("_row").to_pylist()[0] for b in batches] == [1, 2, 4]


def test_open_inventory_recognizes_nmap_by_content(tmp_path: Path) -> None:
    opened = open_inventory(_write(tmp_path, SCAN, "scan.txt"))
    assert opened.reader.format == "nmap" and opened.roles == NMAP_MAP


@pytest.mark.parametrize(
    ("doctype", "why"),
    [
        ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>', "DTD"),
        ('<!DOCTYPE nmaprun SYSTEM "http://example.org/evil.dtd">', "DTD"),
        ('<!DOCTYPE nmaprun PUBLIC "-//x//y" "file:///etc/passwd">', "DTD"),
        ('<!DOCTYPE nmaprun [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "DTD"),
    ],
)
def test_dtds_and_entities_are_refused(tmp_path: Path, doctype: str, why: str) -> None:
    text = f'<?xml version="1.0"?>\n{doctype}\n<nmaprun scanner="nmap"></nmaprun>\n'
    path = _write(tmp_path, text)
    with pytest.raises(InputError, match=why) as err:
        check_nmap_xml(path)
    assert "refused" in str(err.value) and str(path) in str(err.value)
    with pytest.raises(InputError):
        open_inventory(path)


def test_an_undeclared_entity_is_a_parse_error_not_an_expansion(tmp_path: Path) -> None:
    text = PROLOG + '<host><status state="up"/><address addr="&xxe;" addrtype="ipv4"/></host>' + END
    with pytest.raises(InputError, match="not valid nmap XML"):
        _rows(NmapReader(path=_write(tmp_path, text)))


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>\n',
            "not nmap's <nmaprun>",
        ),
        ("MAC,Vendor\n44:19:B6:3A:10:7C,Hikvision\n", "not valid XML"),
        ('<?xml version="1.0"?>\n', "not valid XML"),
    ],
)
def test_other_xml_is_refused_in_one_line(tmp_path: Path, text: str, why: str) -> None:
    with pytest.raises(InputError, match=why) as err:
        check_nmap_xml(_write(tmp_path, text))
    assert "\n" not in str(err.value)


def test_an_interrupted_scan_keeps_the_hosts_before_the_cut(tmp_path: Path) -> None:
    cut = PROLOG + CAMERA + PHONE + RECORDER[:200]
    reader = NmapReader(path=_write(tmp_path, cut))
    rows = _rows(reader)
    assert [r["_row"] for r in rows] == [1, 2]
    assert len(reader.rejects) == 1
    assert "breaks off after host 2" in reader.rejects[0].reason


@pytest.mark.parametrize("text", [PROLOG + CAMERA[:300], "<nmaprun><host></nmaprun>"])
def test_broken_xml_before_any_host_is_an_input_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(InputError, match="not valid nmap XML"):
        _rows(NmapReader(path=_write(tmp_path, text)))
