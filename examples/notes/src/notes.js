// Handlers for the notes example. They read from the table named in
// TABLE_NAME; the AWS SDK v3 ships with the nodejs20.x Lambda runtime.
const { DynamoDBClient } = require("@aws-sdk/client-dynamodb");
const { DynamoDBDocumentClient, GetCommand, QueryCommand } = require("@aws-sdk/lib-dynamodb");

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));

function userId(event) {
  return event.requestContext.identity.cognitoIdentityId;
}

function reply(statusCode, body) {
  return {
    statusCode,
    headers: { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Credentials": true },
    body: JSON.stringify(body),
  };
}

exports.get = async (event) => {
  const result = await db.send(
    new GetCommand({
      TableName: process.env.TABLE_NAME,
      Key: { userId: userId(event), noteId: event.pathParameters.id },
    })
  );
  return result.Item ? reply(200, result.Item) : reply(404, { error: "Note not found." });
};

exports.list = async (event) => {
  const result = await db.send(
    new QueryCommand({
      TableName: process.env.TABLE_NAME,
      KeyConditionExpression: "userId = :userId",
      ExpressionAttributeValues: { ":userId": userId(event) },
    })
  );
  return reply(200, result.Items);
};
