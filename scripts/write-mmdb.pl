#!/usr/bin/env perl
# Writes a MaxMind DB (.mmdb) file with MaxMind's own writer (Debian: libmaxmind-db-writer-perl), from a JSON
# description on standard input. The tests make their GeoIP databases with it, so that the agent reads files made
# by a real writer, with networks the tests choose.
#
#   scripts/write-mmdb.pl OUT.mmdb < spec.json
#
# spec.json:
#   { "database_type": "GeoLite2-Country",          # what readers check (GeoLite2-ASN, DBIP-City-Lite, ...)
#     "build_epoch": 1700000000,                    # optional, default now
#     "types": { "key": "uint32" },                 # optional, types of keys the defaults below do not cover
#     "networks": [ { "network": "81.2.69.0/24", "data": { "country": { "iso_code": "GB" } } } ] }
use strict;
use warnings;
use JSON::PP;
use MaxMind::DB::Writer::Tree;

my $out = shift @ARGV or die "usage: $0 OUT.mmdb < spec.json\n";
my $spec = decode_json(do { local $/; <STDIN> });

my %types = (
    country                        => 'map',
    registered_country             => 'map',
    continent                      => 'map',
    names                          => 'map',
    iso_code                       => 'utf8_string',
    code                           => 'utf8_string',
    en                             => 'utf8_string',
    geoname_id                     => 'uint32',
    country_code                   => 'utf8_string',
    autonomous_system_number       => 'uint32',
    autonomous_system_organization => 'utf8_string',
    %{ $spec->{types} // {} },
);

my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version               => 6,
    record_size              => 24,
    database_type            => $spec->{database_type},
    languages                => ['en'],
    description              => { en => 'written by workspaces-web-exporter scripts/write-mmdb.pl' },
    alias_ipv6_to_ipv4       => 1,
    remove_reserved_networks => 0,
    map_key_type_callback    => sub { $types{ $_[0] } // die "no type for key '$_[0]': add it to \"types\"\n" },
);
$tree->_set_build_epoch($spec->{build_epoch}) if defined $spec->{build_epoch};
for my $entry (@{ $spec->{networks} }) {
    $tree->insert_network($entry->{network}, $entry->{data});
}
my $tmp = "$out.tmp$$";
open my $fh, '>:raw', $tmp or die "cannot write $tmp: $!\n";
$tree->write_tree($fh);
close $fh or die "cannot write $tmp: $!\n";
rename $tmp, $out or die "cannot rename $tmp to $out: $!\n";
