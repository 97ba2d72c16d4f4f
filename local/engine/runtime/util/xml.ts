/**
 * `util.xml`, as documented in "XML helpers in util.xml"
 * (https://docs.aws.amazon.com/appsync/latest/devguide/xml-helpers-in-util-xml-js.html).
 *
 * AWS's examples are what org.json's `XML.toJSONObject` produces: the root element is a key,
 * numbers and booleans in text become JSON numbers and booleans, a repeated element becomes a
 * list. The docs are silent on attributes and mixed content; org.json's rules are kept: attributes
 * become keys beside the children, and an element's own text next to attributes is `content`.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: 'content',
  parseAttributeValue: true,
  parseTagValue: true,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // "007" stays a string: turning it into 7 would lose what the document says.
  numberParseOptions: { hex: false, leadingZeros: false },
});

/** `util.xml` as APPSYNC_JS code sees it. */
export interface XmlUtils {
  toMap(xml: string): Record<string, unknown> | null;
  toJsonString(xml: string, stringEncode?: boolean): string;
}

/**
 * `util.xml.toMap(xml)`: the document as an object; `null` when the text is not well-formed XML.
 *
 * @example xmlToMap('<posts><post><id>1</id></post></posts>') // { posts: { post: { id: 1 } } }
 */
export function xmlToMap(xml: string): Record<string, unknown> | null {
  const text = String(xml);
  if (XMLValidator.validate(text) !== true) return null;
  return parser.parse(text) as Record<string, unknown>;
}

/**
 * `util.xml.toJsonString(xml, stringEncode?)`: `toMap` as JSON text; with `stringEncode` true the
 * JSON text is itself encoded as a JSON string literal (ready to embed in another JSON document).
 */
export function xmlToJsonString(xml: string, stringEncode?: boolean): string {
  const json = JSON.stringify(xmlToMap(xml));
  return stringEncode === true ? JSON.stringify(json) : json;
}

/** Create `util.xml`. */
export function createXmlUtils(): XmlUtils {
  return { toMap: xmlToMap, toJsonString: xmlToJsonString };
}
