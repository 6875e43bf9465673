"""The REST API of the records (customers, contacts, opportunities, activities, products, quotes, contracts, payment
plans, payments, service requests and orders): one pydantic definition per resource gives both the JSON shape and
its OpenAPI schema; routes are thin and call the same domain functions as the pages."""
