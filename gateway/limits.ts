import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

export interface QueryLimits {
  /** Deepest field nesting allowed. */
  maxDepth: number;
  /** Fields a query may select, counting every use of a fragment. */
  maxFields: number;
  /** Aliased fields a query may have: aliases multiply the work of one field. */
  maxAliases: number;
  /** Whether the schema may be queried (`__schema`, `__type`). */
  introspection: boolean;
  /** Whether refused queries' messages may say "Did you mean ...?" (errors.ts). */
  suggestions: boolean;
}

/** Fields selected, with fragments expanded each time they are spread. */
function countFields(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  visiting: Set<string>,
  stopAt: number,
): { fields: number; aliases: number } {
  let fields = 0;
  let aliases = 0;
  for (const selection of selectionSet.selections) {
    if (fields > stopAt) break;
    let inner: SelectionSetNode | undefined;
    if (selection.kind === Kind.FIELD) {
      fields += 1;
      if (selection.alias) aliases += 1;
      inner = selection.selectionSet;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      inner = selection.selectionSet;
    } else {
      const name = selection.name.value;
      const fragment = fragments[name];
      if (!fragment || visiting.has(name)) continue; // cycles are reported by another rule
      visiting.add(name);
      const counted = countFields(fragment.selectionSet, fragments, visiting, stopAt - fields);
      visiting.delete(name);
      fields += counted.fields;
      aliases += counted.aliases;
      continue;
    }
    if (inner) {
      const counted = countFields(inner, fragments, visiting, stopAt - fields);
      fields += counted.fields;
      aliases += counted.aliases;
    }
  }
  return { fields, aliases };
}

/** Refuses operations selecting more than `maxFields` fields or `maxAliases` aliases. */
export function fieldAndAliasLimitRule(maxFields: number, maxAliases: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const fragments: Record<string, FragmentDefinitionNode> = {};
      for (const definition of context.getDocument().definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION)
          fragments[definition.name.value] = definition;
      }
      const { fields, aliases } = countFields(
        operation.selectionSet,
        fragments,
        new Set(),
        maxFields,
      );
      if (aliases > maxAliases) {
        context.reportError(
          new GraphQLError(`The query uses ${aliases} aliases; at most ${maxAliases} are allowed`, {
            nodes: [operation],
          }),
        );
      } else if (fields > maxFields) {
        context.reportError(
          new GraphQLError(`The query selects more than ${maxFields} fields`, {
            nodes: [operation],
          }),
        );
      }
    },
  });
}

export function validationRules(limits: QueryLimits): ValidationRule[] {
  return [
    fieldAndAliasLimitRule(limits.maxFields, limits.maxAliases),
    ...(limits.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
}
