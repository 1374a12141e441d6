<?php
/**
 * Parse each wikitext of a JSON list read from stdin with MediaWiki (title "Sandbox",
 * anonymous ParserOptions) and print the JSON list of ParserOutput::getText() results.
 * Run through ../shared/oracle/mediawiki.sh php DATADIR bench/mw_parse_batch.php.
 */
$IP = getenv( 'MW_INSTALL_PATH' ) ?: '/usr/share/mediawiki';
require_once "$IP/maintenance/Maintenance.php";
use MediaWiki\MediaWikiServices;
class MwBatch extends Maintenance {
	public function execute() {
		$inputs = json_decode( file_get_contents( 'php://stdin' ), true );
		$services = MediaWikiServices::getInstance();
		$title = Title::newFromText( 'Sandbox' );
		$out = [];
		foreach ( $inputs as $text ) {
			$parser = $services->getParserFactory()->create();
			$opts = ParserOptions::newFromAnon();
			try {
				$po = $parser->parse( $text, $title, $opts, true, true );
				$out[] = $po->getText( [ 'unwrap' => true ] );
			} catch ( Throwable $e ) {
				$out[] = "EXCEPTION " . $e->getMessage();
			}
		}
		print json_encode( $out );
	}
}
$maintClass = MwBatch::class;
require_once RUN_MAINTENANCE_IF_MAIN;
